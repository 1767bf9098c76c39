import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

import { ServerStartError } from './errors';
import {
  isPortInUse,
  runToCompletion,
  spawnDetached,
  stopProcess,
  waitUntilReady,
  writePidRecord,
} from './processes';
import type { PidRecord, StartedServer } from './processes';
import { say, secondsSince } from './report';
import { KAFKA_VERSION, SLF4J_VERSION } from './settings';
import type { Paths } from './settings';

/** Where one broker lives: its ports, data dir, config, log and pid file. */
export interface BrokerLayout {
  /** `kafka` for the shared broker, `kafka-<name>` for a launched one. */
  readonly id: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly dataDir: string;
  readonly propertiesPath: string;
  readonly logPath: string;
  readonly pidPath: string;
}

export function brokerLayout(
  paths: Paths,
  id: string,
  port: number,
  controllerPort: number,
): BrokerLayout {
  return {
    id,
    port,
    controllerPort,
    dataDir: join(paths.data, id),
    propertiesPath: join(paths.run, `${id}.properties`),
    logPath: join(paths.logs, `${id}.log`),
    pidPath: join(paths.run, `${id}.json`),
  };
}

/** The folder holding the broker's jars once provisioned. */
export function kafkaLibDir(paths: Paths): string {
  return join(paths.cache, `kafka-${KAFKA_VERSION}`, 'libs');
}

function pom(): string {
  // The broker is kafka_2.13 with its runtime dependencies; it brings only
  // slf4j-api, so slf4j-simple (same version) makes it log to stderr.
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>conecta.devstack</groupId>
  <artifactId>kafka-broker-jars</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${KAFKA_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>${SLF4J_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>3.8.1</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
`;
}

/**
 * Downloads the Kafka broker jars with Maven into the cache, once. The jars go
 * to a temporary folder renamed into place, so a concurrent or interrupted
 * download never leaves a half-filled cache behind.
 */
export async function provisionKafka(paths: Paths, mvn: string): Promise<void> {
  const libs = kafkaLibDir(paths);
  if (existsSync(libs)) return;
  const startedAt = Date.now();
  say(
    `downloading Apache Kafka ${KAFKA_VERSION} jars with Maven (first time only)…`,
  );
  const work = join(paths.cache, `kafka-${KAFKA_VERSION}.tmp-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await writeFile(join(work, 'pom.xml'), pom());
  await runToCompletion(
    mvn,
    [
      '-q',
      '-B',
      '-f',
      join(work, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${join(work, 'libs')}`,
      '-DincludeScope=runtime',
    ],
    { cwd: work },
  );
  try {
    await mkdir(join(libs, '..'), { recursive: true });
    await rename(join(work, 'libs'), libs);
  } catch (err) {
    // Someone else finished first: theirs is as good as ours.
    if (!existsSync(libs)) throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  say(`… Kafka jars ready in ${secondsSince(startedAt)}`);
}

function serverProperties(layout: BrokerLayout): string {
  const { port, controllerPort, dataDir } = layout;
  return `# Written by @conecta/devstack on each start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${dataDir}
# Topics appear on first use, with 3 partitions so per-key ordering is exercised.
auto.create.topics.enable=true
num.partitions=3
delete.topic.enable=true
# Event topics are the history read models are rebuilt from: kept forever,
# also topics created before their creation said so (@conecta/events).
log.retention.ms=-1
log.retention.bytes=-1
# One node: every replication factor must be 1 (the defaults of 3 leave consumer
# groups without a coordinator).
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# 50 offsets partitions (the default) slow down the first consumer group on 2 cores.
offsets.topic.num.partitions=10
# Tests start many short-lived groups; the default 3 s delay would cost 3 s each.
group.initial.rebalance.delay.ms=0
`;
}

function javaArgs(
  paths: Paths,
  mainClass: string,
  args: readonly string[],
): string[] {
  return [
    '-Xms256m',
    '-Xmx512m',
    // A development broker on a small machine: the client compiler only and
    // one GC thread, so the JVM's own work (JIT, concurrent GC) does not
    // compete with the services for the cores.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Djava.awt.headless=true',
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    '-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS',
    '-cp',
    // A classpath wildcard: every jar in the folder.
    join(kafkaLibDir(paths), '*'),
    mainClass,
    ...args,
  ];
}

/** A Kafka cluster id: 16 random bytes, base64url without padding, as Uuid.randomUuid. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    // Kafka refuses ids that start with '-' (they read as command-line flags).
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Formats the KRaft storage once per data dir. The cluster id is kept in the
 * data dir (meta.properties, plus our own cluster-id file) so restarts reuse it.
 */
async function formatStorage(
  paths: Paths,
  java: string,
  layout: BrokerLayout,
): Promise<void> {
  await mkdir(layout.dataDir, { recursive: true });
  if (existsSync(join(layout.dataDir, 'meta.properties'))) return;
  const idFile = join(layout.dataDir, 'devstack-cluster-id');
  let clusterId = (await readFile(idFile, 'utf8').catch(() => '')).trim();
  if (clusterId === '') {
    clusterId = newClusterId();
    await writeFile(idFile, `${clusterId}\n`);
  }
  await runToCompletion(
    java,
    javaArgs(paths, 'kafka.tools.StorageTool', [
      'format',
      '-t',
      clusterId,
      '-c',
      layout.propertiesPath,
      '--ignore-formatted',
    ]),
  );
}

/** Starts a broker (formatting its storage first if needed); does not wait for readiness. */
export async function startBroker(
  paths: Paths,
  java: string,
  layout: BrokerLayout,
): Promise<PidRecord> {
  for (const port of [layout.port, layout.controllerPort]) {
    if (await isPortInUse(port)) {
      throw new ServerStartError(
        `Kafka (${layout.id})`,
        `cannot start: port ${port} is already in use by another process (not one devstack started). Stop it, or set KAFKA_BROKERS to use it`,
        layout.logPath,
        '',
      );
    }
  }
  await mkdir(paths.run, { recursive: true });
  await writeFile(layout.propertiesPath, serverProperties(layout));
  await formatStorage(paths, java, layout);
  const pid = await spawnDetached(
    java,
    javaArgs(paths, 'kafka.Kafka', [layout.propertiesPath]),
    layout.logPath,
  );
  const record: PidRecord = {
    pid,
    // The properties path tells the shared broker and each launched one apart.
    marker: layout.propertiesPath,
    address: `127.0.0.1:${layout.port}`,
    engine: `Apache Kafka ${KAFKA_VERSION}`,
    logPath: layout.logPath,
    startedAt: new Date().toISOString(),
  };
  await writePidRecord(layout.pidPath, record);
  return record;
}

/**
 * Waits until a kafkajs admin client connects and describes a cluster with a
 * controller, or throws with the log tail after `timeoutMs`, or at once if the
 * started process exits.
 */
export async function waitForKafka(
  brokers: string[],
  timeoutMs: number,
  started?: StartedServer,
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'conecta-devstack',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  });
  await waitUntilReady(
    `Kafka at ${brokers.join(',')}`,
    async () => {
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0 || cluster.controller === null) {
          throw new Error('no controller elected yet');
        }
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    { timeoutMs, intervalMs: 500, started },
  );
}

/** Stops a broker by its pid record (SIGTERM, then SIGKILL after 30 s). */
export async function stopBroker(record: PidRecord): Promise<void> {
  await stopProcess(record.pid, record.marker);
}
