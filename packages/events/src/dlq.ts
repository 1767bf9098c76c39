import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import type { Admin, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { kafkaOf, topicOffsets } from './kafka';
import type { KafkaClient } from './kafka';

// A bound, not a wait: a read stops as soon as it reaches the end offsets it
// took at its start; the deadline only keeps a CLI from hanging on a topic
// something else holds (another redrive of it), with a clear error.
const READ_DEADLINE_MS = 60_000;

/** Headers a dead-lettered message carries, besides its original headers. */
export const DLQ_HEADERS = {
  error: 'dlq-error',
  /** `invalid` (failed validation, never retried) or `handler` (handler kept failing). */
  reason: 'dlq-reason',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

/**
 * The consumer group that records what was redriven from `dlqTopic`:
 * `${dlqTopic}.redrive`. Its committed offset on a partition says "every
 * message below was redriven"; the commit's metadata lists the offsets
 * above it redriven one by one (`redrive --offset`).
 */
export function redriveGroupFor(dlqTopic: string): string {
  return `${dlqTopic}.redrive`;
}

/** A dead-lettered message with what its `dlq-*` headers say. */
export interface DlqEntry {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  /** Every header, as strings (the original ones and the `dlq-*` ones). */
  headers: Record<string, string>;
  /** `event-type` header, or the envelope's `type` when the value parses. */
  type: string | null;
  reason: string | null;
  error: string | null;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: number | null;
  consumerGroup: string | null;
  failedAt: string | null;
  /** Whether `redrive` already sent it back. */
  redriven: boolean;
}

/** Where a DLQ partition stands. */
export interface DlqPartitionState {
  partition: number;
  low: number;
  high: number;
  /** Every offset below this was redriven. */
  redrivenBelow: number;
  /** Offsets at or above `redrivenBelow` redriven one by one. */
  redrivenSingly: number[];
}

/** Counts of one DLQ topic. */
export interface DlqBacklog {
  topic: string;
  /** Messages on the topic (kept forever). */
  messages: number;
  redriven: number;
  /** Dead-lettered and not redriven yet. */
  waiting: number;
  partitions: DlqPartitionState[];
}

// Kafka keeps at most offset.metadata.max.bytes (4 KiB by default) per commit.
const MAX_LEDGER_METADATA_BYTES = 4_000;

interface LedgerMetadata {
  redriven?: unknown;
}

function parseLedger(metadata: string | null): number[] {
  if (!metadata) return [];
  try {
    const parsed = JSON.parse(metadata) as LedgerMetadata;
    return Array.isArray(parsed.redriven)
      ? parsed.redriven.filter((n): n is number => Number.isInteger(n))
      : [];
  } catch {
    return [];
  }
}

function isRedriven(state: DlqPartitionState, offset: number): boolean {
  return offset < state.redrivenBelow || state.redrivenSingly.includes(offset);
}

/** The DLQ topic's partitions with what was redriven, via the admin API. */
export async function readDlqState(
  admin: Admin,
  dlqTopic: string,
): Promise<DlqPartitionState[]> {
  const ends = await topicOffsets(admin, dlqTopic);
  const [committed] = await admin.fetchOffsets({
    groupId: redriveGroupFor(dlqTopic),
    topics: [dlqTopic],
  });
  return ends
    .map((end) => {
      const low = Number(end.low);
      const high = Number(end.high);
      const mark = committed?.partitions.find(
        (p) => p.partition === end.partition,
      );
      const offset = Number(mark?.offset ?? -1);
      const redrivenBelow = Math.max(low, offset);
      return {
        partition: end.partition,
        low,
        high,
        redrivenBelow,
        redrivenSingly: parseLedger(mark?.metadata ?? null).filter(
          (o) => o >= redrivenBelow && o < high,
        ),
      };
    })
    .sort((a, b) => a.partition - b.partition);
}

/** Messages, redriven and waiting on one DLQ topic. */
export async function dlqBacklog(
  admin: Admin,
  dlqTopic: string,
): Promise<DlqBacklog> {
  const partitions = await readDlqState(admin, dlqTopic);
  let messages = 0;
  let waiting = 0;
  for (const p of partitions) {
    messages += p.high - p.low;
    waiting += Math.max(0, p.high - p.redrivenBelow) - p.redrivenSingly.length;
  }
  return {
    topic: dlqTopic,
    messages,
    redriven: messages - waiting,
    waiting,
    partitions,
  };
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value)
      ? value.map(String).join(',')
      : value.toString();
  }
  return out;
}

function toEntry(
  topic: string,
  partition: number,
  message: KafkaMessage,
  state: DlqPartitionState | undefined,
): DlqEntry {
  const headers = headerStrings(message.headers);
  const value = message.value?.toString() ?? null;
  let type = headers['event-type'] ?? null;
  if (type === null && value !== null) {
    try {
      const parsed = JSON.parse(value) as { type?: unknown };
      if (typeof parsed.type === 'string') type = parsed.type;
    } catch {
      // Not JSON: the reason it was dead-lettered.
    }
  }
  const int = (name: string): number | null => {
    const raw = headers[name];
    return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
  };
  const offset = Number(message.offset);
  return {
    topic,
    partition,
    offset,
    key: message.key?.toString() ?? null,
    value,
    headers,
    type,
    reason: headers[DLQ_HEADERS.reason] ?? null,
    error: headers[DLQ_HEADERS.error] ?? null,
    originalTopic: headers[DLQ_HEADERS.originalTopic] ?? null,
    originalPartition: int(DLQ_HEADERS.originalPartition),
    originalOffset: int(DLQ_HEADERS.originalOffset),
    consumerGroup: headers[DLQ_HEADERS.consumerGroup] ?? null,
    failedAt: headers[DLQ_HEADERS.failedAt] ?? null,
    redriven: state ? isRedriven(state, offset) : false,
  };
}

/** What {@link readRanges} reads: `[from, to)` of one partition. */
interface PartitionRange {
  partition: number;
  from: number;
  to: number;
}

/**
 * Reads the given offset ranges of `topic` with a consumer of `groupId`
 * (autoCommit off: reading never moves the group), calling `visit` for each
 * message in order per partition, and resolves when every range is read.
 * The group's position (its committed offset, or the earliest one) must not
 * be past a range's start; messages before it are skipped.
 */
async function readRanges(
  kafka: Kafka,
  topic: string,
  groupId: string,
  ranges: readonly PartitionRange[],
  visit: (
    partition: number,
    message: KafkaMessage,
    commit: (offset: number, metadata: string) => Promise<void>,
  ) => Promise<void>,
  timeoutMs: number,
): Promise<void> {
  const wanted = new Map(
    ranges.filter((r) => r.from < r.to).map((r) => [r.partition, r]),
  );
  if (wanted.size === 0) return;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  let finish: (error?: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve());
  });
  const timer = setTimeout(
    () =>
      finish(
        new Error(
          `timed out after ${timeoutMs} ms reading ${topic} (is another redrive of it running?)`,
        ),
      ),
    timeoutMs,
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch }) => {
        const range = wanted.get(batch.partition);
        if (!range) return;
        try {
          for (const message of batch.messages) {
            const offset = Number(message.offset);
            if (offset < range.from) continue;
            if (offset >= range.to) break;
            await visit(batch.partition, message, (next, metadata) =>
              consumer.commitOffsets([
                {
                  topic,
                  partition: batch.partition,
                  offset: String(next),
                  metadata,
                },
              ]),
            );
            range.from = offset + 1;
          }
        } catch (error) {
          finish(error);
          return;
        }
        if (range.from >= range.to) wanted.delete(batch.partition);
        if (wanted.size === 0) finish();
      },
    });
    await finished;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

/** Options shared by the DLQ operations. */
export interface DlqOperationOptions {
  /** How long reading a topic may take; default 60_000 ms. */
  timeoutMs?: number;
  /** Progress lines (the CLI prints them); default none. */
  progress?: (line: string) => void;
}

/** A reader group of its own, deleted afterwards, so reading leaves nothing behind. */
async function withReaderGroup<T>(
  admin: Admin,
  task: (groupId: string) => Promise<T>,
): Promise<T> {
  const groupId = `conecta-dlq-reader-${randomUUID()}`;
  try {
    return await task(groupId);
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}

async function withAdmin<T>(
  kafka: Kafka,
  task: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await task(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * The DLQ topics on the broker: `${prefix}conecta.<consumer>.dlq` (test
 * prefixes of other runs are left out when `prefix` is empty).
 */
export async function listDlqTopics(
  client: KafkaClient,
  prefix = '',
): Promise<string[]> {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}conecta\\.[^.]+\\.dlq$`);
  return withAdmin(kafkaOf(client), async (admin) =>
    (await admin.listTopics()).filter((t) => pattern.test(t)).sort(),
  );
}

/** One DLQ topic as `list` shows it. */
export interface DlqListing extends DlqBacklog {
  /** The first entries still waiting, oldest first per partition, at most `limit` in all. */
  entries: DlqEntry[];
}

/**
 * Counts of `dlqTopic` and its first `limit` (default 10) entries not yet
 * redriven, read with a throwaway consumer group.
 */
export async function listDlq(
  client: KafkaClient,
  dlqTopic: string,
  options: DlqOperationOptions & { limit?: number } = {},
): Promise<DlqListing> {
  const kafka = kafkaOf(client);
  const limit = options.limit ?? 10;
  return withAdmin(kafka, async (admin) => {
    const backlog = await dlqBacklog(admin, dlqTopic);
    const entries: DlqEntry[] = [];
    if (limit <= 0 || backlog.waiting === 0) return { ...backlog, entries };
    const states = new Map(backlog.partitions.map((p) => [p.partition, p]));
    // Enough of each partition to find `limit` waiting entries in it.
    const ranges = backlog.partitions.map((p) => {
      let to = p.redrivenBelow;
      for (let found = 0; to < p.high && found < limit; to += 1)
        if (!p.redrivenSingly.includes(to)) found += 1;
      return { partition: p.partition, from: p.redrivenBelow, to };
    });
    await withReaderGroup(admin, (groupId) =>
      readRanges(
        kafka,
        dlqTopic,
        groupId,
        ranges,
        async (partition, message) => {
          const entry = toEntry(
            dlqTopic,
            partition,
            message,
            states.get(partition),
          );
          if (!entry.redriven) entries.push(entry);
        },
        options.timeoutMs ?? READ_DEADLINE_MS,
      ),
    );
    entries.sort(
      (a, b) =>
        (a.failedAt ?? '').localeCompare(b.failedAt ?? '') ||
        a.partition - b.partition ||
        a.offset - b.offset,
    );
    return { ...backlog, entries: entries.slice(0, limit) };
  });
}

/** One message of a DLQ topic; throws when the offset is not on the partition. */
export async function showDlqEntry(
  client: KafkaClient,
  dlqTopic: string,
  partition: number,
  offset: number,
  options: DlqOperationOptions = {},
): Promise<DlqEntry> {
  const kafka = kafkaOf(client);
  return withAdmin(kafka, async (admin) => {
    const states = await readDlqState(admin, dlqTopic);
    const state = states.find((p) => p.partition === partition);
    if (!state)
      throw new DlqUsageError(
        `${dlqTopic} has no partition ${partition} (partitions: ${states.map((p) => p.partition).join(', ')})`,
      );
    if (offset < state.low || offset >= state.high)
      throw new DlqUsageError(
        `${dlqTopic} partition ${partition} holds offsets ${state.low} to ${state.high - 1}, not ${offset}`,
      );
    let found: DlqEntry | undefined;
    await withReaderGroup(admin, (groupId) =>
      readRanges(
        kafka,
        dlqTopic,
        groupId,
        [{ partition, from: offset, to: offset + 1 }],
        async (p, message) => {
          found = toEntry(dlqTopic, p, message, state);
        },
        options.timeoutMs ?? READ_DEADLINE_MS,
      ),
    );
    if (!found) throw new Error(`${dlqTopic} ${partition}/${offset} not read`);
    return found;
  });
}

/** What to redrive: everything waiting, or one message. */
export type RedriveSelection =
  { all: true } | { all?: false; offset: number; partition?: number };

/** What a redrive did. */
export interface RedriveResult {
  topic: string;
  /** Messages sent back to their original topics now. */
  redriven: DlqEntry[];
  /** Messages selected that an earlier redrive had already sent. */
  alreadyRedriven: number;
}

/** A bad request to a DLQ operation (unknown partition, offset out of range…). */
export class DlqUsageError extends Error {
  override readonly name = 'DlqUsageError';
}

/**
 * Sends dead-lettered messages back to their original topics (value, key and
 * headers minus `dlq-*`; the same key, so the same partition) and records
 * each in the redrive group ({@link redriveGroupFor}) right after sending it,
 * so running it twice sends nothing the second time. A crash between a send
 * and its record sends that one message again on the next run: consumers
 * deduplicate by event id. Run one redrive of a topic at a time.
 *
 * The redriven event lands after events published since: consumers see it
 * late, and every consumer group of the original topic sees it again (they
 * skip it by id if they had applied it).
 */
export async function redriveDlq(
  client: KafkaClient,
  dlqTopic: string,
  selection: RedriveSelection,
  options: DlqOperationOptions = {},
): Promise<RedriveResult> {
  const kafka = kafkaOf(client);
  const progress = options.progress ?? (() => undefined);
  return withAdmin(kafka, async (admin) => {
    const states = await readDlqState(admin, dlqTopic);
    let alreadyRedriven = 0;
    let ranges: PartitionRange[];
    let only: { partition: number; offset: number } | undefined;
    if (selection.all) {
      ranges = states.map((p) => ({
        partition: p.partition,
        from: p.redrivenBelow,
        to: p.high,
      }));
    } else {
      const { offset } = selection;
      const holding = states.filter(
        (p) =>
          (selection.partition === undefined ||
            p.partition === selection.partition) &&
          offset >= p.low &&
          offset < p.high,
      );
      if (holding.length === 0)
        throw new DlqUsageError(
          `no message at offset ${offset}${selection.partition !== undefined ? ` on partition ${selection.partition}` : ''} of ${dlqTopic} (${states.map((p) => `partition ${p.partition}: ${p.high > p.low ? `${p.low}–${p.high - 1}` : 'empty'}`).join(', ')})`,
        );
      if (holding.length > 1)
        throw new DlqUsageError(
          `offset ${offset} exists on partitions ${holding.map((p) => p.partition).join(', ')} of ${dlqTopic}: add --partition`,
        );
      const state = holding[0]!;
      if (isRedriven(state, offset)) {
        progress(
          `${dlqTopic} partition ${state.partition} offset ${offset} was already redriven; nothing sent`,
        );
        return { topic: dlqTopic, redriven: [], alreadyRedriven: 1 };
      }
      only = { partition: state.partition, offset };
      ranges = [{ partition: state.partition, from: offset, to: offset + 1 }];
    }
    const byPartition = new Map(states.map((p) => [p.partition, p]));
    const todo = ranges.reduce((n, r) => {
      const state = byPartition.get(r.partition)!;
      let count = 0;
      for (let o = r.from; o < r.to; o += 1)
        if (!isRedriven(state, o)) count += 1;
      return n + count;
    }, 0);
    alreadyRedriven += selection.all
      ? states.reduce((n, p) => n + p.redrivenSingly.length, 0)
      : 0;
    if (todo === 0) {
      progress(`${dlqTopic}: nothing waiting to redrive`);
      return { topic: dlqTopic, redriven: [], alreadyRedriven };
    }
    progress(`${dlqTopic}: redriving ${todo} message(s)`);
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Same partitioner as the relay: the same key lands on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const redriven: DlqEntry[] = [];
    try {
      await readRanges(
        kafka,
        dlqTopic,
        redriveGroupFor(dlqTopic),
        ranges,
        async (partition, message, commit) => {
          const state = byPartition.get(partition)!;
          const offset = Number(message.offset);
          if (isRedriven(state, offset)) return;
          if (only && (only.partition !== partition || only.offset !== offset))
            return;
          const entry = toEntry(dlqTopic, partition, message, state);
          if (!entry.originalTopic)
            throw new Error(
              `${dlqTopic} ${partition}/${offset} has no ${DLQ_HEADERS.originalTopic} header: not written by a Conecta consumer`,
            );
          const headers: IHeaders = {};
          for (const [name, value] of Object.entries(message.headers ?? {}))
            if (!name.startsWith('dlq-') && value !== undefined)
              headers[name] = value;
          await producer.send({
            topic: entry.originalTopic,
            acks: -1,
            messages: [{ key: message.key, value: message.value, headers }],
          });
          // Recorded right after the send: a crash in between re-sends this one.
          if (offset === state.redrivenBelow) {
            state.redrivenBelow += 1;
            while (state.redrivenSingly.includes(state.redrivenBelow)) {
              state.redrivenSingly = state.redrivenSingly.filter(
                (o) => o !== state.redrivenBelow,
              );
              state.redrivenBelow += 1;
            }
          } else {
            state.redrivenSingly = [...state.redrivenSingly, offset].sort(
              (a, b) => a - b,
            );
          }
          const metadata = JSON.stringify({ redriven: state.redrivenSingly });
          if (Buffer.byteLength(metadata) > MAX_LEDGER_METADATA_BYTES)
            throw new Error(
              `too many messages of ${dlqTopic} partition ${partition} redriven one by one to record; redrive the rest with --all`,
            );
          await commit(state.redrivenBelow, metadata);
          redriven.push({ ...entry, redriven: true });
          progress(
            `[${redriven.length}/${todo}] ${dlqTopic} ${partition}/${offset} ${entry.type ?? '(no type)'} → ${entry.originalTopic}`,
          );
        },
        options.timeoutMs ?? READ_DEADLINE_MS,
      );
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
    progress(`${dlqTopic}: ${redriven.length} message(s) redriven`);
    return { topic: dlqTopic, redriven, alreadyRedriven };
  });
}
