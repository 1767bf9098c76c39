import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import getPort from 'get-port';
import { isPortInUse } from './processes';

export interface LaunchServiceOptions {
  /** For messages. */
  name: string;
  /** The built entry point, e.g. require.resolve('@conecta/committees/dist/index.js'). */
  script: string;
  /** Environment of the process; PORT is set from `port`. */
  env: Record<string, string>;
  /** The port to listen on; a free one when absent (tests). */
  port?: number;
  /** Also append the process's output to this file (npm start). */
  logFile?: string;
  /** How long to wait for /ready (default 30 s). */
  readyTimeoutMs?: number;
}

export interface LaunchedService {
  graphqlUrl: string;
  baseUrl: string;
  process: ChildProcess;
  /** SIGTERM (graceful shutdown), then wait for the exit; SIGKILL after 10 s. */
  stop(): Promise<void>;
}

// Output kept for the error message when a service fails to become ready.
const OUTPUT_TAIL_CHARS = 4_000;

/**
 * Starts a built service as a real child process and waits until its /ready
 * answers 200 (default timeout 30 s). The failure message carries the process's
 * output tail.
 */
export async function launchService({
  name,
  script,
  env,
  port: wanted,
  logFile,
  readyTimeoutMs = 30_000,
}: LaunchServiceOptions): Promise<LaunchedService> {
  const port = wanted ?? (await getPort());
  // Else its /health would be answered by whatever holds the port (an earlier
  // run's process), and this one, unable to listen, would go unnoticed.
  if (wanted !== undefined && (await isPortInUse(port)))
    throw new Error(
      `${name} cannot start: port ${port} is already in use by another process. Stop it (an earlier run of the system?), or choose other ports`,
    );
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // The logs folder exists only once devstack has started infrastructure
  // itself: with MONGODB_URI and KAFKA_BROKERS given, it may not.
  if (logFile) mkdirSync(dirname(logFile), { recursive: true });
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    log?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      log?.end();
      resolve();
    }),
  );

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `${name} exited with code ${child.exitCode} before it was ready:\n${output}`,
      );
    try {
      const response = await fetch(`${baseUrl}/health`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${name} was not ready after ${readyTimeoutMs} ms:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    graphqlUrl: `${baseUrl}/graphql`,
    baseUrl,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
