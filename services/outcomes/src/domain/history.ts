import { ConflictError } from '@conecta/service-kit/errors';

/**
 * Where one partition of a source topic starts now: the earliest offset the
 * broker still holds (its low watermark). Offsets are whole numbers; a
 * partition that was never cut starts at 0.
 */
export interface PartitionStart {
  topic: string;
  partition: number;
  earliestOffset: number;
}

/** Whether every source partition still holds its whole history. */
export interface HistoryCheck {
  /** True when no partition has lost its beginning (a replay sees every event). */
  complete: boolean;
  /** The partitions whose oldest records are gone, by topic then partition. */
  truncated: PartitionStart[];
}

/**
 * A partition whose earliest offset is above 0 no longer holds its beginning:
 * retention (or an operator, or `deleteRecords`) removed its oldest records,
 * and a replay from "the beginning" would start after them. Offset 0 is the
 * first offset Kafka ever gives a partition, so nothing else can explain a
 * higher start. A topic that does not exist yet has no partitions here, and
 * nothing to lose.
 */
export function checkHistory(starts: readonly PartitionStart[]): HistoryCheck {
  const truncated = starts
    .filter((start) => start.earliestOffset > 0)
    .map(({ topic, partition, earliestOffset }) => ({
      topic,
      partition,
      earliestOffset,
    }))
    .sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
    );
  return { complete: truncated.length === 0, truncated };
}

/**
 * What an operator does about a truncated history (the rebuild command
 * prints it after the partitions; the GraphQL error ends with it).
 */
export const HISTORY_TRUNCATED_ADVICE =
  'Restore the topics from a backup or archive so that every partition starts at offset 0 again, then rebuild. ' +
  'Until then the current read models keep serving, and they are complete as long as the consumer group never fell behind retention ' +
  '(it had read every deleted record before the record was deleted).';

/** The first sentence of the refusal: how many partitions, and what it means. */
export function historyTruncatedSummary(
  truncated: readonly PartitionStart[],
): string {
  const what =
    truncated.length === 1 ? 'one partition' : `${truncated.length} partitions`;
  return `Kafka no longer holds the beginning of ${what} the read models are built from, so a rebuild would miss their oldest events and report done without them; none was started`;
}

/** `conecta.training.events partition 2 from offset 1200`. */
export function describePartition({
  topic,
  partition,
  earliestOffset,
}: PartitionStart): string {
  return `${topic} partition ${partition} from offset ${earliestOffset}`;
}

/**
 * A rebuild refused because a source topic no longer holds its whole history:
 * a replay would report "done" with every event before those offsets missing.
 * `CONFLICT` with reason `HISTORY_TRUNCATED`; `truncated` (each partition and
 * its earliest offset) goes into the GraphQL error's extensions.
 */
export class HistoryTruncatedError extends ConflictError {
  readonly truncated: readonly PartitionStart[];

  constructor(truncated: readonly PartitionStart[]) {
    super(
      'HISTORY_TRUNCATED',
      `${historyTruncatedSummary(truncated)}. Starts now: ${truncated
        .map(describePartition)
        .join('; ')}. ${HISTORY_TRUNCATED_ADVICE}`,
    );
    this.truncated = truncated.map((start) => ({ ...start }));
  }

  override get details(): Readonly<Record<string, unknown>> {
    return { truncated: this.truncated };
  }
}
