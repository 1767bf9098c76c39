import type { Collection, Document } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import { insertManyNew, type EventEnvelope } from '@conecta/events';
import type { Cohort } from '../domain/cohort';
import type { Enrollment } from '../domain/enrollment';
import type { AggregateStore } from './aggregate';
import type { CohortStore, Seats } from './cohorts';

/** A ledger entry: this (source, folio) is imported as that cohort, with those enrollments. */
export interface CohortFolioDoc {
  _id: string;
  source: string;
  folio: string;
  cohortId: string;
  /** One per participant of the record, in its order. */
  enrollmentIds: string[];
  importedBy: string;
  importedAt: Date;
}

/** The ids a folio's cohort and enrollments are written under. */
export interface CohortIds {
  cohortId: string;
  enrollmentIds: string[];
}

/** One record of a batch to import, validated, with how to build it. */
export interface PlannedCohortImport {
  folio: string;
  /** Fresh ids for a folio seen for the first time. */
  newIds(): CohortIds;
  /** The cohort (with its seats) and its enrollments, each with its events, under `ids`. */
  create(ids: CohortIds): {
    cohort: { entity: Cohort; events: EventEnvelope[]; seats: Seats };
    enrollments: Array<{ entity: Enrollment; events: EventEnvelope[] }>;
  };
}

/** What an import did: cohorts written now, and those imported before (left alone). */
export interface CohortImportOutcome {
  imported: Cohort[];
  skipped: Cohort[];
  /** Enrollments written now. */
  enrollments: number;
}

// The ledger key of a folio: JSON keeps "a|b" + "c" apart from "a" + "b|c".
const keyOf = (source: string, folio: string) =>
  JSON.stringify([source, folio]);

/**
 * Historical imports of past cohorts, idempotent per (source, folio) on a
 * MongoDB-compatible store without transactions, as the demand import
 * (`./history`):
 *
 * - the ledger (`cohort_import_folios`) maps each key, as its `_id`, to the
 *   ids its cohort and enrollments were given. Claiming a folio is inserting
 *   its entry: the unique `_id` lets one import win a race for it;
 * - then the enrollments, then the cohorts (with their seats) are inserted
 *   under the claimed ids, in bulk; unique `_id`s keep a retried or
 *   concurrent completion from writing anything twice.
 *
 * Enrollments go before their cohort: the reconciler walks cohorts, so a
 * crash between the writes leaves enrollments of a cohort not written yet,
 * which it never sees (it would otherwise take a cohort's seats for
 * enrollments to write live), and a re-run finds the folio in the ledger,
 * the cohort missing, and writes what is missing under the ledger's ids.
 * Round trips per batch: ledger read, ledger insert, one bulk insert of
 * enrollments, one of cohorts; plus a read of the cohorts of folios known
 * before, only when some are.
 */
export function createCohortHistoryStore(
  connection: Connection,
  cohorts: CohortStore,
  enrollments: AggregateStore<Enrollment>,
) {
  const schema = new Schema<CohortFolioDoc>(
    {
      _id: { type: String, required: true },
      source: String,
      folio: String,
      cohortId: String,
      enrollmentIds: [String],
      importedBy: String,
      importedAt: Date,
    },
    { versionKey: false },
  );
  const model = connection.model<CohortFolioDoc>(
    'CohortImportFolio',
    schema,
    'cohort_import_folios',
  );
  const ledger = model.collection as unknown as Collection<Document>;

  /** The ids of each folio of `source` already in the ledger. */
  async function idsOf(
    source: string,
    folios: readonly string[],
  ): Promise<Map<string, CohortIds>> {
    const docs = await model
      .find({ _id: { $in: folios.map((f) => keyOf(source, f)) } })
      .lean<CohortFolioDoc[]>();
    return new Map(
      docs.map((d) => [
        d.folio,
        { cohortId: d.cohortId, enrollmentIds: d.enrollmentIds },
      ]),
    );
  }

  return {
    model,

    /**
     * Imports `records` of `source` (already validated as a whole): each
     * folio not yet in the ledger is claimed and its cohort and enrollments
     * written; a folio imported before is skipped, its stored cohort returned.
     */
    async importBatch(
      source: string,
      records: readonly PlannedCohortImport[],
      audit: { importedBy: string; importedAt: Date },
    ): Promise<CohortImportOutcome> {
      const known = await idsOf(
        source,
        records.map((r) => r.folio),
      );

      // Claim the new folios; a concurrent import may win some of them.
      const fresh = records
        .filter((r) => !known.has(r.folio))
        .map((r) => ({ record: r, ids: r.newIds() }));
      const lost = await insertManyNew(
        ledger,
        fresh.map(({ record, ids }) => ({
          _id: keyOf(source, record.folio),
          source,
          folio: record.folio,
          ...ids,
          ...audit,
        })),
      );
      const claimed = new Map(
        fresh
          .filter((_, i) => !lost.has(i))
          .map(({ record, ids }) => [record.folio, ids]),
      );
      if (lost.size > 0)
        for (const [folio, ids] of await idsOf(
          source,
          fresh.filter((_, i) => lost.has(i)).map((f) => f.record.folio),
        ))
          known.set(folio, ids);

      // Known folios whose cohort is missing were claimed by an import that
      // stopped half-way: written now, under the ids the ledger holds.
      const stored = new Map(
        (known.size > 0
          ? await cohorts.findByIds([...known.values()].map((k) => k.cohortId))
          : []
        ).map((c) => [c.id, c as Cohort]),
      );
      const toWrite = records.flatMap((r) => {
        const earlier = known.get(r.folio);
        const ids =
          claimed.get(r.folio) ??
          (earlier !== undefined && !stored.has(earlier.cohortId)
            ? earlier
            : undefined);
        return ids === undefined ? [] : [r.create(ids)];
      });
      // An enrollment already there (written before a crash, or by a racing
      // completion) is not written twice.
      const enrollmentItems = toWrite.flatMap((w) => w.enrollments);
      const enrollmentDuplicates =
        await enrollments.insertMany(enrollmentItems);
      const cohortDuplicates = await cohorts.insertManyWithSeats(
        toWrite.map((w) => w.cohort),
      );
      const written = toWrite.filter(
        (w) => !cohortDuplicates.has(w.cohort.entity.id),
      );
      const writtenIds = new Set(written.map((w) => w.cohort.entity.id));

      const skippedIds = records
        .map((r) => (claimed.get(r.folio) ?? known.get(r.folio))?.cohortId)
        .filter((id): id is string => id !== undefined && !writtenIds.has(id));
      const unread = skippedIds.filter((id) => !stored.has(id));
      for (const c of unread.length ? await cohorts.findByIds(unread) : [])
        stored.set(c.id, c);

      return {
        imported: written.map((w) => w.cohort.entity),
        skipped: skippedIds.flatMap((id) => {
          const cohort = stored.get(id);
          return cohort ? [cohort] : [];
        }),
        enrollments: enrollmentItems.filter(
          (e) => !enrollmentDuplicates.has(e.entity.id),
        ).length,
      };
    },
  };
}

export type CohortHistoryStore = ReturnType<typeof createCohortHistoryStore>;
