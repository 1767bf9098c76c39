import type { AnyBulkWriteOperation, Collection, Filter } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError } from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import { createWritesInFlight } from './writes-in-flight';

/**
 * The counter of one standard: how many of its certificates are not revoked
 * (VALID and EXPIRED ones; REVOKED ones are not counted), which is what
 * `CompetencyStandard.certificateCount` answers.
 */
export interface StandardCountDoc {
  /** The standard's id. */
  _id: string;
  unrevoked: number;
}

/**
 * Written once a reconciliation has recounted every standard: from then on the
 * counters are the count (README: Certificate counts, "Upgrading").
 */
export interface ReconciledDoc {
  _id: typeof RECONCILED_ID;
  reconciledAt: Date;
  /** Standards recounted by that reconciliation. */
  standards: number;
}

export type CountsDoc = StandardCountDoc | ReconciledDoc;

// Not a UUID, so never a standard's id.
const RECONCILED_ID = 'reconciled';

// Standard ids read per page by a reconciliation (two small collections).
const ID_PAGE = 500;
// A recount of a standard is thrown away when one of its certificates is
// written meanwhile; after this many tries it is left for the next run.
const MAX_RECOUNT_ATTEMPTS = 20;
// How long a recount waits for a standard's writes in flight before trying
// anyway (an import batch's two writes take well under a second).
const IDLE_WAIT_MS = 2_000;

/** What a recount of every standard did. */
export interface CountReconciliation {
  /** Standards recounted. */
  checked: number;
  /** Counters that were missing or wrong, with the value they had and the one written. */
  repaired: { standardId: string; was: number | null; now: number }[];
  /** Standards whose certificates were written during every attempt: left for the next run. */
  busy: string[];
  /** Stopped by `stop()` before the end. */
  stopped: boolean;
}

export interface CertificateCountsOptions {
  /** The certificates of one standard whose `revokedAt` is null, counted from the certificates. */
  countUnrevoked: (standardId: string) => Promise<number>;
  /**
   * Up to `limit` ids of standards certificates may exist for, after `after`
   * in id order (the standards projection: nothing is issued or imported
   * against a standard it does not hold).
   */
  standardIdsAfter: (after: string, limit: number) => Promise<string[]>;
  logger: Logger;
}

/**
 * Certificates not revoked per standard (`certificate_counts`), so a list of
 * standards reads their counts with one `find` by `_id`, whatever the size of
 * the registry. Certificate writes change them through {@link changing} and
 * {@link add}, right after the certificate write; {@link reconcile} recounts
 * from the certificates and repairs what a crash between the two writes left
 * wrong (two documents, no transactions on FerretDB).
 */
export function createCertificateCounts(
  connection: Connection,
  { countUnrevoked, standardIdsAfter, logger }: CertificateCountsOptions,
) {
  // A mongoose model so the collection is usable before the connection opens.
  const model = connection.model<CountsDoc>(
    'CertificateCount',
    new Schema<CountsDoc>(
      {
        _id: String,
        unrevoked: Number,
        reconciledAt: Date,
        standards: Number,
      },
      { versionKey: false },
    ),
    'certificate_counts',
  );
  const collection = model.collection as unknown as Collection<CountsDoc>;
  const writes = createWritesInFlight();
  let running: Promise<CountReconciliation | undefined> | undefined;
  let stopping = false;

  /** Pages of the ids of the standard counters (the marker left out). */
  async function counterIdsAfter(
    after: string,
    limit: number,
  ): Promise<string[]> {
    const docs = await collection
      .find({ _id: { $gt: after, $ne: RECONCILED_ID } } as Filter<CountsDoc>, {
        projection: { _id: 1 },
      })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => d._id);
  }

  /**
   * Sets the standard's counter to its certificates' count, unless a write of
   * them is in flight or begins meanwhile (then tries again). The write is a
   * compare-and-set on the value read before counting, so an increment that
   * lands in between makes it try again rather than be lost.
   *
   * @returns what was repaired, `null` if the counter was right, `'busy'`
   *   after {@link MAX_RECOUNT_ATTEMPTS}, `'stopped'` on `stop()`
   */
  async function recount(
    standardId: string,
  ): Promise<
    CountReconciliation['repaired'][number] | null | 'busy' | 'stopped'
  > {
    for (let attempt = 1; attempt <= MAX_RECOUNT_ATTEMPTS; attempt += 1) {
      if (stopping) return 'stopped';
      await writes.idle(standardId, IDLE_WAIT_MS);
      // No await between this check and the mark: a write that begins after
      // the mark changes it.
      if (writes.busy(standardId)) continue;
      const mark = writes.begunSoFar(standardId);
      const stored = (await collection.findOne({
        _id: standardId,
      })) as StandardCountDoc | null;
      const actual = await countUnrevoked(standardId);
      if (writes.begunSoFar(standardId) !== mark) continue;
      const was =
        typeof stored?.unrevoked === 'number' ? stored.unrevoked : null;
      // Absent reads as 0: a standard without certificates needs no counter.
      if ((was ?? 0) === actual) return null;
      if (await compareAndSet(standardId, stored, actual)) {
        return { standardId, was, now: actual };
      }
    }
    return 'busy';
  }

  /** Writes `value` if the counter is still as read (`stored`; null: absent). */
  async function compareAndSet(
    standardId: string,
    stored: StandardCountDoc | null,
    value: number,
  ): Promise<boolean> {
    if (!stored) {
      try {
        await collection.insertOne({ _id: standardId, unrevoked: value });
        return true;
      } catch (error) {
        // Created meanwhile by an increment: read it again.
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }
    const { matchedCount } = await collection.updateOne(
      // `unrevoked: null` also matches a counter without the field.
      {
        _id: standardId,
        unrevoked: stored.unrevoked ?? null,
      } as Filter<CountsDoc>,
      { $set: { unrevoked: value } },
    );
    return matchedCount === 1;
  }

  /** Recounts `standardIds` (a failed counter write), logging what it did. */
  function recountLater(standardIds: readonly string[]): void {
    void (async () => {
      for (const standardId of standardIds) {
        const outcome = await recount(standardId);
        if (outcome === 'busy')
          logger.warn(
            { standardId },
            'certificate counter not recounted (its certificates kept changing); the next reconciliation repairs it',
          );
        else if (outcome && typeof outcome === 'object')
          logger.warn(outcome, 'certificate counter repaired');
      }
    })().catch((err: unknown) =>
      logger.error(
        { err, standardIds },
        'certificate counters not recounted; the next start repairs them',
      ),
    );
  }

  const counts = {
    model,

    /**
     * The counters of `standardIds` (absent: 0) in ONE `find` by `_id`, or
     * `null` while no reconciliation has ever finished on this database (a
     * deployment upgraded to counters that is filling them): the caller
     * counts from the certificates then.
     */
    async read(
      standardIds: readonly string[],
    ): Promise<Map<string, number> | null> {
      const docs = await collection
        .find({ _id: { $in: [...standardIds, RECONCILED_ID] } })
        .toArray();
      if (!docs.some((d) => d._id === RECONCILED_ID)) return null;
      const found = new Map<string, number>();
      for (const doc of docs)
        if ('unrevoked' in doc) found.set(doc._id, doc.unrevoked);
      return found;
    },

    /**
     * Runs `write` — a write of certificates of `standardIds` that calls
     * {@link add} right after the certificate write — marked as in flight, so
     * a recount running meanwhile never overwrites its increment.
     */
    async changing<T>(
      standardIds: Iterable<string>,
      write: () => Promise<T>,
    ): Promise<T> {
      const end = writes.begin(standardIds);
      try {
        return await write();
      } finally {
        end();
      }
    },

    /**
     * Adds `n` to each standard's counter (upserting it): ONE unordered
     * `bulkWrite` of `$inc`s, whatever the number of standards. A failure is
     * logged and the standards are recounted in the background, not thrown:
     * the certificate write it follows has happened, and its answer is true.
     */
    async add(deltas: ReadonlyMap<string, number>): Promise<void> {
      const changed = [...deltas].filter(([, n]) => n !== 0);
      if (changed.length === 0) return;
      const operations: AnyBulkWriteOperation<CountsDoc>[] = changed.map(
        ([standardId, n]) => ({
          updateOne: {
            filter: { _id: standardId },
            update: { $inc: { unrevoked: n } },
            upsert: true,
          },
        }),
      );
      try {
        await collection.bulkWrite(operations, { ordered: false });
      } catch (err) {
        const standardIds = changed.map(([id]) => id);
        logger.error(
          { err, standardIds },
          'certificate counters not updated after a certificate write; recounting them',
        );
        recountLater(standardIds);
      }
    },

    /**
     * Recounts every standard — those of the standards projection, then any
     * other that has a counter — from the certificates, one standard at a
     * time (one count each, served by the `standardId` index; nothing holds
     * the registry in memory), and writes the counters that differ. When every
     * standard was recounted it writes the marker that lets {@link read} trust
     * the counters.
     */
    async reconcile(): Promise<CountReconciliation> {
      const report: CountReconciliation = {
        checked: 0,
        repaired: [],
        busy: [],
        stopped: false,
      };
      const seen = new Set<string>();
      for (const source of [standardIdsAfter, counterIdsAfter]) {
        let after = '';
        for (;;) {
          const page = await source(after, ID_PAGE);
          for (const standardId of page) {
            if (seen.has(standardId)) continue;
            seen.add(standardId);
            const outcome = await recount(standardId);
            if (outcome === 'stopped') return { ...report, stopped: true };
            report.checked += 1;
            if (outcome === 'busy') report.busy.push(standardId);
            else if (outcome) report.repaired.push(outcome);
          }
          if (page.length < ID_PAGE) break;
          after = page[page.length - 1]!;
        }
      }
      if (report.busy.length === 0) {
        await collection.updateOne(
          { _id: RECONCILED_ID },
          {
            $set: { reconciledAt: new Date(), standards: report.checked },
          },
          { upsert: true },
        );
      }
      return report;
    },

    /**
     * Starts {@link reconcile} in the background (at service start: it does
     * not delay readiness) and logs what it did.
     */
    start(): void {
      stopping = false;
      const started = Date.now();
      logger.info('reconciling certificate counts in the background');
      running = counts.reconcile().then(
        (report) => {
          for (const repair of report.repaired)
            if (repair.was === null)
              logger.info(repair, 'certificate counter filled');
            else logger.warn(repair, 'certificate counter repaired');
          logger.info(
            {
              checked: report.checked,
              repaired: report.repaired.length,
              busy: report.busy,
              stopped: report.stopped,
              ms: Date.now() - started,
            },
            'certificate counts reconciled',
          );
          return report;
        },
        (err: unknown) => {
          logger.error(
            { err },
            'certificate count reconciliation failed; the next start runs it again',
          );
          return undefined;
        },
      );
    },

    /** The reconciliation `start` began (undefined if it failed), or undefined before `start`. */
    background: (): Promise<CountReconciliation | undefined> | undefined =>
      running,

    /** Stops the background reconciliation after the standard it is on. */
    async stop(): Promise<void> {
      stopping = true;
      await running;
    },
  };
  return counts;
}

export type CertificateCounts = ReturnType<typeof createCertificateCounts>;
