import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  openSync,
  closeSync,
  readFileSync,
} from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerStartError } from './errors';

/** What devstack remembers about a server it started, in `run/<name>.json`. */
export interface PidRecord {
  readonly pid: number;
  /** A string that must appear in /proc/<pid>/cmdline, guarding against pid reuse. */
  readonly marker: string;
  readonly address: string;
  readonly engine: string;
  readonly logPath: string;
  readonly startedAt: string;
}

/** A user to run a server as (PostgreSQL refuses root). */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** The absolute path of `tool` on `PATH`, or undefined. */
export function findOnPath(
  tool: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** Whether `pid` is a live (not zombie) process whose command line contains `marker`. */
export function isAlive(pid: number, marker?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: it exists but belongs to another user, so it is not ours.
    return false;
  }
  let cmdline: string;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the parenthesised command name.
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    // No /proc (macOS): trust kill(0).
    return true;
  }
  return marker === undefined || cmdline.includes(marker);
}

export async function readPidRecord(
  file: string,
): Promise<PidRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** The pid record of a server that is still running, or undefined (stale files removed). */
export async function runningRecord(
  file: string,
): Promise<PidRecord | undefined> {
  const record = await readPidRecord(file);
  if (record === undefined) return undefined;
  if (isAlive(record.pid, record.marker)) return record;
  await rm(file, { force: true });
  return undefined;
}

/**
 * Starts `command` detached in its own process group with stdout and stderr
 * appended to `logPath`, so it outlives the CLI or Jest process that started it.
 */
export async function spawnDetached(
  command: string,
  args: readonly string[],
  logPath: string,
  env: NodeJS.ProcessEnv = process.env,
  runAs?: RunAs,
): Promise<number> {
  await mkdir(dirname(logPath), { recursive: true });
  // Truncated on each start, so the tail printed on failure is about this start.
  const fd = openSync(logPath, 'w');
  try {
    const child = spawn(command, [...args], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env,
      ...runAs,
    });
    const pid = await new Promise<number>((resolvePid, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolvePid(child.pid as number));
    });
    child.unref();
    return pid;
  } finally {
    closeSync(fd);
  }
}

export async function writePidRecord(
  file: string,
  record: PidRecord,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * SIGTERMs the process group of `pid`, waits up to `graceMs` (default 30 s, enough
 * for a controlled Kafka shutdown) for it to exit, then SIGKILLs it.
 * Resolves once the process is gone.
 */
export async function stopProcess(
  pid: number,
  marker: string | undefined,
  graceMs = 30_000,
): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isAlive(pid, marker)) return 'not-running';
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid, marker)) return 'stopped';
    await sleep(100);
  }
  signal(pid, 'SIGKILL');
  while (isAlive(pid, marker)) await sleep(100);
  return 'killed';
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    // Negative pid: the whole process group (the server and anything it forked).
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

/** The last `lines` lines of a log file, indented for printing; '' if unreadable. */
export async function tailLog(logPath: string, lines = 40): Promise<string> {
  try {
    const text = await readFile(logPath, 'utf8');
    return text
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => `  | ${line}`)
      .join('\n');
  } catch {
    return '';
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function isPortInUse(
  port: number,
  host = '127.0.0.1',
): Promise<boolean> {
  return new Promise((resolveInUse) => {
    const socket = createConnection({ port, host });
    const done = (inUse: boolean): void => {
      socket.destroy();
      resolveInUse(inUse);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Runs a command to completion; rejects with its captured output on failure. */
export function runToCompletion(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; runAs?: RunAs } = {},
): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, [...args], {
      ...options.runAs,
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolveRun(output);
      else
        reject(
          new Error(
            `\`${command} ${args.join(' ')}\` exited with ${code}:\n${output.trimEnd().split('\n').slice(-40).join('\n')}`,
          ),
        );
    });
  });
}

/** A server devstack just spawned, watched so a crash fails fast with its log. */
export interface StartedServer {
  pid: number;
  marker: string;
  logPath: string;
  label: string;
}

/**
 * Polls `probe` every `intervalMs` until it resolves. Throws at once (with the
 * log tail) if the started process exits, or after `timeoutMs` with the last
 * probe error.
 */
export async function waitUntilReady(
  what: string,
  probe: () => Promise<void>,
  {
    timeoutMs,
    intervalMs,
    started,
  }: { timeoutMs: number; intervalMs: number; started?: StartedServer },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (started && !isAlive(started.pid, started.marker)) {
      throw new ServerStartError(
        started.label,
        'exited while starting',
        started.logPath,
        await tailLog(started.logPath),
      );
    }
    try {
      await probe();
      return;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  const reason = `was not ready after ${Math.round(timeoutMs / 1000)} s (last error: ${
    lastError instanceof Error ? lastError.message : String(lastError)
  })`;
  if (started) {
    throw new ServerStartError(
      started.label,
      reason,
      started.logPath,
      await tailLog(started.logPath),
    );
  }
  throw new Error(`${what} ${reason}`);
}
