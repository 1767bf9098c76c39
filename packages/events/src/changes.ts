import type { Broker, Cluster, Kafka } from 'kafkajs';
import { SERVICE_NAMES, type ServiceName } from './envelope';
import { kafkaOf, withKafkaRetries, type KafkaClient } from './kafka';
import { topicFor } from './topics';

/** Options of {@link watchDataChanges}. */
export interface DataChangeWatcherOptions {
  /** From `KAFKA_TOPIC_PREFIX`; default `''`. Also prefixes the watched consumer groups. */
  topicPrefix?: string;
  /** Time between two polls; default 250 ms. */
  intervalMs?: number;
  /**
   * How often the lists of topics and consumer groups are read again (a new
   * group or topic is noticed within this); default 5 000 ms. Every poll
   * reads only the offsets: a listing reads every topic and group of the
   * cluster (about 4 ms of CPU with 700 topics and 300 groups, 2 cores).
   */
  listRefreshMs?: number;
  /**
   * How long after its last successful poll the watcher still counts as
   * current; default 2 000 ms. Past it, `isCurrent()` is false.
   */
  staleAfterMs?: number;
  /**
   * Polls only while someone asks: with it, polling pauses once `fresh()`
   * has not been called for this long, and the next `fresh()` reads the
   * offsets before it answers. An idle gateway then sends Kafka nothing.
   * Without it, the watcher polls until `stop()`.
   */
  idleAfterMs?: number;
  /**
   * Called with the services whose data may have changed since the previous
   * poll; with every service after the first poll and after any poll that
   * failed (what happened while the watcher could not see is unknown).
   */
  onChange: (services: readonly ServiceName[]) => void;
}

/** What {@link watchDataChanges} returns. */
export interface DataChangeWatcher {
  /** Connects and polls until `stop()`; resolves after the first poll. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True while the last successful poll is recent (see `staleAfterMs`). */
  isCurrent(): boolean;
  /**
   * `isCurrent()` for a caller about to rely on what was reported: counts as
   * demand (see `idleAfterMs`), and if polling had paused, first waits for a
   * poll (at most `staleAfterMs`; a poll still under way then finishes in
   * the background).
   */
  fresh(): Promise<boolean>;
}

/** What a listing found: the services' topics that exist and their groups. */
interface Listed {
  at: number;
  topics: { topic: string; service: ServiceName }[];
  groups: { groupId: string; service: ServiceName }[];
}

/** A group's commits as last read. */
interface GroupRead {
  /** When the poll that read them began. */
  at: number;
  parts: string[];
  /** Committed at the end of every partition it reads: see `settled`. */
  settled: boolean;
}

/** One connection to the cluster and what was learnt on it; dropped on any error. */
interface Session {
  cluster: Cluster;
  listed?: Listed;
  /** Each listed group's coordinator, found once per listing. */
  coordinators: Map<string, Promise<Broker>>;
  /** The topics' ends as last read: `topic/partition@offset`, sorted. */
  ends?: string;
  groups: Map<string, GroupRead>;
}

/**
 * The longest a settled group's commits go unread (see `settled`): with a
 * poll every 250 ms, a change is still seen within 1 s, what the gateway's
 * response cache promises.
 */
const SETTLED_RECHECK_MS = 750;

/**
 * Tells when a service's data may have changed, without consuming any topic:
 * every `intervalMs` it reads, per service,
 * - the end offsets of `conecta.<service>.events`: an event is published after
 *   the write it reports has committed, so the service's own data changed;
 * - the committed offsets of the service's consumer groups (`<prefix><service>`
 *   and `<prefix><service>-<purpose>`, the naming every service follows): a
 *   consumer commits after applying what it read, so its projections changed.
 *
 * A service whose figures moved since the previous poll is reported to
 * `onChange`. The gateway's response cache uses it; it joins no consumer group.
 *
 * A poll is one ListOffsets request for every topic's end (one per partition
 * leader), then one OffsetFetch per group to its coordinator (found once per
 * listing), except for a settled group (see `settled`): read again when an
 * end moved, and at least every {@link SETTLED_RECHECK_MS}. Quiet, with five
 * topics and six settled groups, that is one request on most polls and
 * seven on every third; kafkajs's admin API would make 22 on each (two
 * ListOffsets per topic, its low and high ends, and a FindCoordinator before
 * each OffsetFetch).
 */
export function watchDataChanges(
  client: KafkaClient,
  options: DataChangeWatcherOptions,
): DataChangeWatcher {
  const prefix = options.topicPrefix ?? '';
  const intervalMs = options.intervalMs ?? 250;
  const staleAfterMs = options.staleAfterMs ?? 2_000;
  const listRefreshMs = options.listRefreshMs ?? 5_000;
  const logger = client.logger.child({ component: 'data-change-watcher' });
  let session: Session | undefined;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let stopped = false;
  // Demand (see idleAfterMs): when fresh() was last called, whether polling
  // has paused for lack of it, and the poll that resumes it.
  let askedAt = Date.now();
  let paused = false;
  let resuming: Promise<void> | undefined;
  let lastOkAt = 0;
  // undefined: nothing seen yet, or the previous poll failed.
  let previous: Map<ServiceName, string> | undefined;

  const ownerOf = (groupId: string): ServiceName | undefined => {
    if (!groupId.startsWith(prefix)) return undefined;
    const name = groupId.slice(prefix.length);
    return SERVICE_NAMES.find(
      (service) => name === service || name.startsWith(`${service}-`),
    );
  };

  async function lists(s: Session): Promise<Listed> {
    if (s.listed && Date.now() - s.listed.at < listRefreshMs) return s.listed;
    const at = Date.now();
    // Every topic this client may describe, and the brokers.
    const { brokers, topicMetadata } = await s.cluster.metadata();
    const existing = new Set(topicMetadata.map(({ topic }) => topic));
    // A topic nobody has published to yet has nothing to watch (and asking
    // for its offsets could create it).
    const topics = SERVICE_NAMES.map((service) => ({
      topic: topicFor(service, prefix),
      service,
    })).filter(({ topic }) => existing.has(topic));
    // kafkajs keeps these topics' partitions and leaders from now on.
    await s.cluster.addMultipleTargetTopics(topics.map(({ topic }) => topic));
    const groups: Listed['groups'] = [];
    for (const { nodeId } of brokers) {
      const broker = await s.cluster.findBroker({ nodeId: String(nodeId) });
      for (const { groupId } of (await listGroupsOn(broker)).groups) {
        const service = ownerOf(groupId);
        if (service) groups.push({ groupId, service });
      }
    }
    s.coordinators.clear();
    s.listed = { at, topics, groups };
    return s.listed;
  }

  function coordinatorOf(s: Session, groupId: string): Promise<Broker> {
    let coordinator = s.coordinators.get(groupId);
    if (!coordinator) {
      coordinator = s.cluster.findGroupCoordinator({ groupId });
      s.coordinators.set(groupId, coordinator);
    }
    return coordinator;
  }

  /**
   * Every service's figures, and when the oldest of them was read: a
   * settled group's commits may be up to {@link SETTLED_RECHECK_MS} old.
   */
  async function positions(
    s: Session,
    readAt: number,
  ): Promise<{ now: Map<ServiceName, string>; oldestAt: number }> {
    const { topics, groups } = await lists(s);
    const parts = new Map<ServiceName, string[]>(
      SERVICE_NAMES.map((service) => [service, []]),
    );
    // topic → partition → end offset.
    const ends = new Map<string, Map<number, string>>();
    if (topics.length > 0) {
      const read = await s.cluster.fetchTopicsOffset(
        topics.map(({ topic }) => ({
          topic,
          fromBeginning: false,
          partitions: s.cluster
            .findTopicPartitionMetadata(topic)
            .map(({ partitionId }) => ({ partition: partitionId })),
        })),
      );
      for (const { topic, partitions } of read)
        ends.set(
          topic,
          new Map(
            partitions.map(({ partition, offset }) => [partition, offset]),
          ),
        );
      for (const { topic, service } of topics)
        for (const [partition, offset] of ends.get(topic) ?? [])
          parts.get(service)!.push(`${topic}/${partition}@${offset}`);
    }
    const endsNow = [...parts.values()].flat().sort().join(',');
    const moved = endsNow !== s.ends;
    s.ends = endsNow;

    const reads = new Map<string, GroupRead>();
    await Promise.all(
      groups.map(async ({ groupId }) => {
        const last = s.groups.get(groupId);
        if (last?.settled && !moved && readAt - last.at < SETTLED_RECHECK_MS) {
          reads.set(groupId, last);
          return;
        }
        const coordinator = await coordinatorOf(s, groupId);
        // No topics: every topic the group has committed on.
        const { responses } = await coordinator.offsetFetch({
          groupId,
          topics: [],
        });
        reads.set(groupId, {
          at: readAt,
          parts: responses.flatMap(({ topic, partitions }) =>
            partitions.map(
              ({ partition, offset }) =>
                `${groupId}:${topic}/${partition}@${offset}`,
            ),
          ),
          settled: settled(responses, ends),
        });
      }),
    );
    // Groups no longer listed are forgotten.
    s.groups = reads;
    let oldestAt = readAt;
    for (const { groupId, service } of groups) {
      const read = reads.get(groupId)!;
      parts.get(service)!.push(...read.parts);
      oldestAt = Math.min(oldestAt, read.at);
    }
    return {
      now: new Map(
        [...parts].map(([service, list]) => [service, list.sort().join(',')]),
      ),
      oldestAt,
    };
  }

  function isCurrent(): boolean {
    return !stopped && Date.now() - lastOkAt <= staleAfterMs;
  }

  async function drop(): Promise<void> {
    const dropped = session;
    session = undefined;
    await dropped?.cluster.disconnect().catch(() => undefined);
  }

  // One attempt: on a connection kept between polls; any error drops it, with
  // what was learnt on it (a deleted topic, a moved leader or coordinator),
  // and the next attempt starts afresh.
  async function read(readAt: number) {
    try {
      if (!session) {
        const cluster = clusterOf(kafkaOf(client));
        session = { cluster, coordinators: new Map(), groups: new Map() };
        await cluster.connect();
      }
      return await positions(session, readAt);
    } catch (error) {
      await drop();
      throw error;
    }
  }

  async function poll(): Promise<void> {
    if (stopped) return;
    try {
      // What a poll reads is as old as its start, however long it takes on
      // a busy machine (or older: a settled group's commits): isCurrent()
      // measures from there.
      const readAt = Date.now();
      // A partition still loading or a coordinator moving answers with an
      // error Kafka marks retriable: asked again within the poll, so a start
      // right after topics were created still reports (isCurrent() is bounded
      // by readAt whatever this takes).
      const { now, oldestAt } = await withKafkaRetries(() => read(readAt));
      const changed = previous
        ? SERVICE_NAMES.filter((s) => previous!.get(s) !== now.get(s))
        : [...SERVICE_NAMES];
      previous = now;
      lastOkAt = oldestAt;
      failing = false;
      if (changed.length > 0) options.onChange(changed);
    } catch (err) {
      // Once per outage, not once per poll.
      if (!failing) logger.warn({ err }, 'cannot read Kafka offsets; retrying');
      failing = true;
      previous = undefined;
    }
  }

  function schedule(): void {
    if (stopped) return;
    // A failing watcher keeps retrying: fresh() must not wait on an outage.
    if (
      options.idleAfterMs !== undefined &&
      !failing &&
      Date.now() - askedAt > options.idleAfterMs
    ) {
      paused = true;
      return;
    }
    timer = setTimeout(() => {
      polling = poll().finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  return {
    async start() {
      stopped = false;
      paused = false;
      askedAt = Date.now();
      polling = poll();
      await polling;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A poll under way finishes first: nothing talks to Kafka after stop().
      await polling;
      await drop();
    },
    isCurrent,
    async fresh() {
      askedAt = Date.now();
      if (paused && !stopped) {
        paused = false;
        resuming = polling = poll().finally(() => {
          resuming = undefined;
          schedule();
        });
      }
      if (resuming) {
        let timeout: NodeJS.Timeout | undefined;
        await Promise.race([
          resuming,
          new Promise((resolve) => {
            timeout = setTimeout(resolve, staleAfterMs);
            timeout.unref();
          }),
        ]);
        clearTimeout(timeout);
      }
      return isCurrent();
    },
  };
}

/**
 * True when the group has committed, and at the end of every partition of
 * every topic it has committed on (`ends`: topic → partition → end offset,
 * read just before): its consumers then have nothing to read, so its commits
 * cannot move before a topic's end does. It is read again at once when an end
 * moves, and within {@link SETTLED_RECHECK_MS} anyway, for what no end
 * announces: offsets set by an operator (a reset, a rebuild), and a first
 * commit on a topic the group had never committed on.
 */
function settled(
  commits: readonly {
    topic: string;
    partitions: readonly { partition: number; offset: string }[];
  }[],
  ends: ReadonlyMap<string, ReadonlyMap<number, string>>,
): boolean {
  return (
    commits.length > 0 &&
    commits.every(({ topic, partitions }) => {
      const topicEnds = ends.get(topic);
      if (!topicEnds) return false;
      const committed = new Map(
        partitions.map(({ partition, offset }) => [partition, offset]),
      );
      return [...topicEnds].every(
        ([partition, end]) => (committed.get(partition) ?? '0') === end,
      );
    })
  );
}

// kafkajs internals. kafkajs (pinned to 2.2.4 in package.json) publishes the
// types of its Cluster and Broker (for partition assigners) but offers no
// cluster outside a consumer's assigner: the one below is made as
// `kafka.admin()` makes its own. The tests of this file fail if they change.

/** A cluster of `kafka`'s brokers, client id and user, as its admin's. */
function clusterOf(kafka: Kafka): Cluster {
  const key = Object.getOwnPropertySymbols(kafka).find(
    (symbol) => symbol.description === 'private:Kafka:createCluster',
  );
  const create = key
    ? (kafka as unknown as Record<symbol, unknown>)[key]
    : undefined;
  if (typeof create !== 'function')
    throw new Error('kafkajs changed: no cluster for watchDataChanges');
  return (create as (options: { allowAutoTopicCreation: boolean }) => Cluster)({
    allowAutoTopicCreation: false,
  });
}

/** ListGroups on one broker: at run time on kafkajs's Broker, not in its types. */
function listGroupsOn(
  broker: Broker,
): Promise<{ groups: { groupId: string }[] }> {
  return (
    broker as Broker & {
      listGroups(): Promise<{ groups: { groupId: string }[] }>;
    }
  ).listGroups();
}
