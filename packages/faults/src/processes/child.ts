import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { WorldNames } from '../pipeline';

/** A relay or consumer of the pipeline running in a process of its own, so it can be SIGKILLed. */
export interface PipelineProcess {
  readonly child: ChildProcess;
  /** Resolves once the process printed "ready" (its relay or consumer started). */
  ready: Promise<void>;
  /** Kills it with SIGKILL, like a crashing pod, and resolves once it is gone. */
  kill(): Promise<void>;
  /** Stops it with SIGTERM (its orderly shutdown) and resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `src/processes/<role>.ts` through tsx with the world's names in
 * FAULTS_WORLD. Its stderr is kept: a process that dies before "ready"
 * rejects `ready` with it.
 */
export function spawnPipelineProcess(
  role: 'relay' | 'consumer',
  names: WorldNames,
  logLevel: string,
): PipelineProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, `${role}.ts`)],
    {
      env: {
        ...process.env,
        FAULTS_WORLD: JSON.stringify(names),
        FAULTS_LOG_LEVEL: logLevel,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
    if (logLevel !== 'silent') process.stderr.write(chunk);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve();
    });
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `${role} process exited (${signal ?? code}) before it was ready: ${stderr}`,
        ),
      ),
    );
  });
  // A scenario that fails leaves no process behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const gone = async () => {
    await exited;
    process.off('exit', killOnExit);
  };
  return {
    child,
    ready,
    async kill() {
      if (child.exitCode === null && child.signalCode === null)
        child.kill('SIGKILL');
      await gone();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null)
        child.kill('SIGTERM');
      await gone();
    },
  };
}
