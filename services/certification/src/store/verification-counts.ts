import { Schema, type Connection } from 'mongoose';
import type { Logger } from '@conecta/service-kit';
import {
  createVerificationTally,
  utcDay,
  verificationCountId,
  type VerificationChannel,
  type VerificationIncrement,
} from '../domain/verification-tally';

/** One counter: verifications of one standard's certificates of one body, on one UTC day, by one channel. */
export interface VerificationCountDoc extends VerificationIncrement {
  /** `${day}|${standardId}|${certifyingBodyId}|${channel}`: one document per counter. */
  _id: string;
}

const schema = new Schema<VerificationCountDoc>(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    standardId: { type: String, required: true },
    certifyingBodyId: { type: String, required: true },
    channel: { type: String, required: true },
    count: { type: Number, required: true },
  },
  { versionKey: false },
);
// A body's counts by day (its staff), a standard's (admins and the council).
schema.index({ certifyingBodyId: 1, day: 1 });
schema.index({ standardId: 1, day: 1 });

/**
 * Flushes every this often: a verification costs a map update, and the
 * counters one unordered `bulkWrite` per interval whatever the traffic. What a
 * crash loses is at most this long of counts (README: Verification counts).
 */
export const VERIFICATION_FLUSH_INTERVAL_MS = 5_000;

/**
 * Public verifications counted per standard and body: `record` (in memory,
 * no round trip on the verification path), flushed every
 * {@link VERIFICATION_FLUSH_INTERVAL_MS} with one unordered `bulkWrite` of
 * `$inc` upserts; a failed flush puts its increments back for the next one.
 * `stop()` flushes what is left (a graceful shutdown loses nothing).
 */
export function createVerificationCounts(
  connection: Connection,
  logger: Logger,
  intervalMs = VERIFICATION_FLUSH_INTERVAL_MS,
) {
  const model = connection.model<VerificationCountDoc>(
    'VerificationCount',
    schema,
    'verification_counts',
  );
  const tally = createVerificationTally();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function write(): Promise<void> {
    const increments = tally.drain();
    if (increments.length === 0) return;
    try {
      await model.collection.bulkWrite(
        increments.map(({ count, ...key }) => ({
          updateOne: {
            filter: { _id: verificationCountId(key) as never },
            update: { $inc: { count }, $setOnInsert: key },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    } catch (err) {
      // Kept for the next flush; a bulkWrite that applied some of them
      // counts those twice (rare, and these are usage figures, not money).
      tally.restore(increments);
      logger.warn(
        { err, counters: increments.length },
        'verification counts not written; retrying at the next flush',
      );
    }
  }

  const counts = {
    model,
    /** Counts one public verification of a certificate of `standardId` by `certifyingBodyId`. */
    record(
      verified: { standardId: string; certifyingBodyId: string },
      channel: VerificationChannel,
      at: Date,
    ): void {
      tally.record({
        day: utcDay(at),
        standardId: verified.standardId,
        certifyingBodyId: verified.certifyingBodyId,
        channel,
      });
    },

    /** Writes what was counted so far (one bulkWrite); flushes never overlap. */
    flush(): Promise<void> {
      flushing = flushing.then(write);
      return flushing;
    },

    start(): void {
      timer ??= setInterval(() => void counts.flush(), intervalMs);
      timer.unref();
    },

    /** Stops the timer and flushes what is left. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await counts.flush();
    },

    /**
     * The counters of one body or one standard (or both), days `from` to
     * `to` (YYYY-MM-DD, inclusive), by day, standard, body and channel.
     */
    async find(filter: {
      certifyingBodyId?: string;
      standardId?: string;
      from: string;
      to: string;
    }): Promise<VerificationIncrement[]> {
      const docs = await model
        .find({
          ...(filter.certifyingBodyId && {
            certifyingBodyId: filter.certifyingBodyId,
          }),
          ...(filter.standardId && { standardId: filter.standardId }),
          day: { $gte: filter.from, $lte: filter.to },
        })
        .sort({ day: 1, _id: 1 })
        .lean<VerificationCountDoc[]>();
      return docs.map(({ _id, ...increment }) => increment);
    },
  };
  return counts;
}

export type VerificationCounts = ReturnType<typeof createVerificationCounts>;
