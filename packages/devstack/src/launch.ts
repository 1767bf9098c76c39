import { rm } from 'node:fs/promises';

import {
  brokerLayout,
  provisionKafka,
  startBroker,
  waitForKafka,
} from './kafka';
import { runningRecord, stopProcess } from './processes';
import type { PidRecord } from './processes';
import { readSettings } from './settings';
import { resolveTools } from './stack';

/** Where a throwaway broker listens. */
export interface LaunchKafkaOptions {
  /** Names its data dir (`data/kafka-<name>`), log and pid file; `[a-z0-9-]`. */
  readonly name: string;
  /** PLAINTEXT port on 127.0.0.1, e.g. 19092. */
  readonly port: number;
  /** KRaft controller port on 127.0.0.1, e.g. 19093. */
  readonly controllerPort: number;
  /** Environment to read settings from; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A throwaway broker that a test can stop and start at will. */
export interface KafkaHandle {
  /** e.g. `['127.0.0.1:19092']`. */
  readonly brokers: string[];
  /** SIGTERMs the broker and resolves once its process has exited (SIGKILL after 30 s). */
  stop(): Promise<void>;
  /** Starts it again on the same data dir and waits for readiness. No-op if running. */
  start(): Promise<void>;
  /** Stops it and deletes its data dir. */
  destroy(): Promise<void>;
}

/**
 * Starts a separate single-node Kafka broker, apart from the shared one, with
 * its own data dir (`<DEVSTACK_HOME>/data/kafka-<name>`, wiped at launch) and log
 * (`logs/kafka-<name>.log`), and waits for it to be ready (up to
 * `DEVSTACK_READY_TIMEOUT_MS`, default 120 s). For fault tests that stop and
 * restart Kafka mid-test without disturbing other suites. A broker left running
 * under the same name by an earlier, crashed run is stopped first.
 * Ignores `KAFKA_BROKERS`: the point is a broker this test controls.
 */
export async function launchKafka(
  options: LaunchKafkaOptions,
): Promise<KafkaHandle> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(options.name)) {
    throw new Error(
      `launchKafka: name must match [a-z0-9-]+, got "${options.name}"`,
    );
  }
  const env = options.env ?? process.env;
  const settings = readSettings(env);
  const layout = brokerLayout(
    settings.paths,
    `kafka-${options.name}`,
    options.port,
    options.controllerPort,
  );
  const brokers = [`127.0.0.1:${options.port}`];
  const tools = await resolveTools(settings, env, true, false);
  if (tools.mvn) await provisionKafka(settings.paths, tools.mvn);
  const java = tools.java as string;

  const leftover = await runningRecord(layout.pidPath);
  if (leftover) await stopProcess(leftover.pid, leftover.marker);
  await rm(layout.dataDir, { recursive: true, force: true });

  let current: PidRecord | undefined;
  const start = async (): Promise<void> => {
    if (current && (await runningRecord(layout.pidPath))) return;
    current = await startBroker(settings.paths, java, layout);
    await waitForKafka(brokers, settings.readyTimeoutMs, {
      pid: current.pid,
      marker: current.marker,
      logPath: current.logPath,
      label: `Kafka (${layout.id})`,
    });
  };
  const stop = async (): Promise<void> => {
    if (!current) return;
    await stopProcess(current.pid, current.marker);
    await rm(layout.pidPath, { force: true });
    current = undefined;
  };
  await start();
  return {
    brokers,
    start,
    stop,
    destroy: async () => {
      await stop();
      await rm(layout.dataDir, { recursive: true, force: true });
      await rm(layout.propertiesPath, { force: true });
    },
  };
}
