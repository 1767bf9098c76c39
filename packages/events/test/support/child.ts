import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A child process running a script of test/support through tsx. */
export interface RelayChild {
  readonly process: ChildProcess;
  /** Lines the child printed on stdout so far. */
  readonly lines: string[];
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit signal or code. */
  exited: Promise<NodeJS.Signals | number | null>;
}

export function spawnRelayProcess(
  mode: 'relay' | 'write-then-die',
  env: Record<string, string>,
): RelayChild {
  return spawnSupportProcess('relay-process.ts', [mode], env);
}

/** Runs `test/support/<script>` with `args` in a process of its own. */
export function spawnSupportProcess(
  script: string,
  args: string[],
  env: Record<string, string>,
): RelayChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, script), ...args],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  return {
    process: child,
    lines,
    exited,
    async waitForLine(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = lines.find((l) => pattern.test(l));
        if (line) return line;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`child did not print ${pattern}; stderr: ${stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
