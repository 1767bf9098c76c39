// Builds dist/ when src/ is newer. The crash-safety test runs the built
// service as a real process: it must run the code under test, and `jest`
// alone (npm test -w, an editor) does not build first as turbo does.
const { execSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'index.js');

const newestIn = (dir) =>
  Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory()
        ? newestIn(join(dir, entry.name))
        : statSync(join(dir, entry.name)).mtimeMs,
    ),
  );

let built = 0;
try {
  built = statSync(entry).mtimeMs;
} catch {
  // not built yet
}
if (built < newestIn(join(root, 'src')))
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
