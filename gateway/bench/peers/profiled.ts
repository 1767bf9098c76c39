import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

// Runs PROFILED_SCRIPT under V8's CPU profiler and writes
// `<PROFILE_DIR>/<pid>.cpuprofile` as the process exits, as `node --cpu-prof`
// does (which Node 20 refuses in NODE_OPTIONS, and devstack's launchService
// passes no node flags).
const script = process.env['PROFILED_SCRIPT'];
const dir = process.env['PROFILE_DIR'];
if (!script || !dir)
  throw new Error('PROFILED_SCRIPT and PROFILE_DIR are required');
const session = new Session();
session.connect();
// On the main thread the session answers synchronously, so the profile can be
// taken and written from the 'exit' handler.
session.post('Profiler.enable');
session.post('Profiler.start');
process.once('exit', () => {
  session.post('Profiler.stop', (err, result) => {
    if (err) return;
    writeFileSync(
      join(dir, `${process.pid}.cpuprofile`),
      JSON.stringify(result.profile),
    );
  });
});
// A dynamic import of a CommonJS entry point runs it like `node <script>`.
void import(script);
