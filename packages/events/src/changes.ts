import type { Admin } from 'kafkajs';
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
   * reads only the offsets: listing a cluster's topics and groups four times
   * a second cost the gateway 40–50 ms of CPU a second on a shared broker.
   */
  listRefreshMs?: number;
  /**
   * How long after its last successful poll the watcher still counts as
   * current; default 2 000 ms. Past it, `isCurrent()` is false.
   */
  staleAfterMs?: number;
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
}

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
  let admin: Admin | undefined;
  let connected = false;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let stopped = false;
  let lastOkAt = 0;
  // undefined: nothing seen yet, or the previous poll failed.
  let previous: Map<ServiceName, string> | undefined;
  // The services' topics that exist and their consumer groups, as last listed.
  let listed:
    | { at: number; topics: Set<string>; groups: [string, ServiceName][] }
    | undefined;

  const ownerOf = (groupId: string): ServiceName | undefined => {
    if (!groupId.startsWith(prefix)) return undefined;
    const name = groupId.slice(prefix.length);
    return SERVICE_NAMES.find(
      (service) => name === service || name.startsWith(`${service}-`),
    );
  };

  async function lists() {
    if (listed && Date.now() - listed.at < listRefreshMs) return listed;
    const at = Date.now();
    const [{ groups }, topics] = await Promise.all([
      admin!.listGroups(),
      admin!.listTopics(),
    ]);
    listed = {
      at,
      topics: new Set(topics),
      groups: groups.flatMap(({ groupId }) => {
        const service = ownerOf(groupId);
        return service ? [[groupId, service] as [string, ServiceName]] : [];
      }),
    };
    return listed;
  }

  async function positions(): Promise<Map<ServiceName, string>> {
    const { topics, groups } = await lists();
    const parts = new Map<ServiceName, string[]>(
      SERVICE_NAMES.map((service) => [service, []]),
    );
    await Promise.all([
      // A topic nobody has published to yet has nothing to watch (and
      // asking for its offsets could create it).
      ...SERVICE_NAMES.map(async (service) => {
        const topic = topicFor(service, prefix);
        if (!topics.has(topic)) return;
        for (const { partition, high } of await admin!.fetchTopicOffsets(topic))
          parts.get(service)!.push(`${topic}/${partition}@${high}`);
      }),
      ...groups.map(async ([groupId, service]) => {
        for (const { topic, partitions } of await admin!.fetchOffsets({
          groupId,
        }))
          for (const { partition, offset } of partitions)
            parts
              .get(service)!
              .push(`${groupId}:${topic}/${partition}@${offset}`);
      }),
    ]);
    return new Map(
      [...parts].map(([service, list]) => [service, list.sort().join(',')]),
    );
  }

  async function poll(): Promise<void> {
    if (stopped) return;
    try {
      if (!connected) {
        await admin!.connect();
        connected = true;
      }
      // What a poll reads is as old as its start, however long it takes on
      // a busy machine: isCurrent() measures from there.
      const readAt = Date.now();
      // A partition still loading or a coordinator moving answers with an
      // error Kafka marks retriable: asked again within the poll, so a start
      // right after topics were created still reports (isCurrent() is bounded
      // by readAt whatever this takes).
      const now = await withKafkaRetries(positions);
      const changed = previous
        ? SERVICE_NAMES.filter((s) => previous!.get(s) !== now.get(s))
        : [...SERVICE_NAMES];
      previous = now;
      lastOkAt = readAt;
      failing = false;
      if (changed.length > 0) options.onChange(changed);
    } catch (err) {
      // Once per outage, not once per poll.
      if (!failing) logger.warn({ err }, 'cannot read Kafka offsets; retrying');
      failing = true;
      previous = undefined;
      listed = undefined;
      connected = false;
      await admin!.disconnect().catch(() => undefined);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      polling = poll().finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  return {
    async start() {
      stopped = false;
      admin = kafkaOf(client).admin({ retry: { retries: 0 } });
      polling = poll();
      await polling;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A poll under way finishes first: nothing talks to Kafka after stop().
      await polling;
      await admin?.disconnect().catch(() => undefined);
    },
    isCurrent() {
      return !stopped && Date.now() - lastOkAt <= staleAfterMs;
    },
  };
}
