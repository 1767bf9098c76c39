import type { Collection, Document } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import { insertManyNew, type EventEnvelope } from '@conecta/events';
import type { DemandRequest } from '../domain/demand';
import type { AggregateStore } from './aggregate';

/** A ledger entry: this (source, reference) is imported as that demand request. */
export interface ImportReferenceDoc {
  _id: string;
  source: string;
  reference: string;
  demandRequestId: string;
  importedBy: string;
  importedAt: Date;
}

/** One record of a batch to import, validated, with how to build it. */
export interface PlannedImport {
  reference: string;
  /** The demand request and its events, for the id the ledger assigns. */
  create(id: string): { entity: DemandRequest; events: EventEnvelope[] };
  /** A fresh id for a reference seen for the first time. */
  newId(): string;
}

/** What an import did: requests written now, and those imported before (left alone). */
export interface ImportOutcome {
  imported: DemandRequest[];
  skipped: DemandRequest[];
}

// The ledger key of a reference: JSON keeps "a|b" + "c" apart from "a" + "b|c".
const keyOf = (source: string, reference: string) =>
  JSON.stringify([source, reference]);

/**
 * Historical imports of demand, idempotent per (source, reference) on a
 * MongoDB-compatible store without transactions or partial indexes:
 *
 * - the ledger (`demand_import_references`) maps each key, as its `_id`, to
 *   the demand request id it was given. Claiming a key is inserting its entry:
 *   the unique `_id` lets one import win a race for a reference;
 * - the demand requests are then inserted with the claimed ids, in bulk; a
 *   demand's unique `_id` keeps a retried or concurrent completion from
 *   writing it twice.
 *
 * If the process dies between the two writes, the ledger holds a key whose
 * request is missing; a re-run finds it and writes the request with the id the
 * ledger assigned (reported as imported), so nothing is lost or duplicated.
 * Round trips per batch: ledger read, ledger insert, read of the requests of
 * known keys, one bulk insert of requests.
 */
export function createHistoryStore(
  connection: Connection,
  demands: AggregateStore<DemandRequest>,
) {
  const schema = new Schema<ImportReferenceDoc>(
    {
      _id: { type: String, required: true },
      source: String,
      reference: String,
      demandRequestId: String,
      importedBy: String,
      importedAt: Date,
    },
    { versionKey: false },
  );
  const model = connection.model<ImportReferenceDoc>(
    'DemandImportReference',
    schema,
    'demand_import_references',
  );
  const ledger = model.collection as unknown as Collection<Document>;

  /** The demand request id of each reference of `source` already in the ledger. */
  async function idsOf(
    source: string,
    references: readonly string[],
  ): Promise<Map<string, string>> {
    const docs = await model
      .find({ _id: { $in: references.map((r) => keyOf(source, r)) } })
      .lean<ImportReferenceDoc[]>();
    return new Map(docs.map((d) => [d.reference, d.demandRequestId]));
  }

  return {
    model,

    /**
     * Imports `records` of `source` (already validated as a whole): each
     * reference not yet in the ledger is claimed and its request written;
     * a reference imported before is skipped, its stored request returned.
     */
    async importBatch(
      source: string,
      records: readonly PlannedImport[],
      audit: { importedBy: string; importedAt: Date },
    ): Promise<ImportOutcome> {
      const references = records.map((r) => r.reference);
      const known = await idsOf(source, references);

      // Claim the new references; a concurrent import may win some of them.
      const fresh = records
        .filter((r) => !known.has(r.reference))
        .map((r) => ({ record: r, id: r.newId() }));
      const lost = await insertManyNew(
        ledger,
        fresh.map(({ record, id }) => ({
          _id: keyOf(source, record.reference),
          source,
          reference: record.reference,
          demandRequestId: id,
          ...audit,
        })),
      );
      const claimed = new Map(
        fresh
          .filter((_, i) => !lost.has(i))
          .map(({ record, id }) => [record.reference, id]),
      );
      if (lost.size > 0)
        for (const [reference, id] of await idsOf(
          source,
          fresh.filter((_, i) => lost.has(i)).map((f) => f.record.reference),
        ))
          known.set(reference, id);

      // Known references whose request is missing were claimed by an import
      // that stopped half-way: write them now, under the id the ledger holds.
      const stored = new Map(
        (known.size > 0
          ? await demands.findByIds([...known.values()])
          : []
        ).map((d) => [d.id, d]),
      );
      const toWrite = records.flatMap((r) => {
        const earlier = known.get(r.reference);
        const id =
          claimed.get(r.reference) ??
          (earlier !== undefined && !stored.has(earlier) ? earlier : undefined);
        return id === undefined ? [] : [r.create(id)];
      });
      // A request already there (a concurrent import wrote it first) is not
      // written twice: it is reported as skipped, like any earlier import.
      const duplicates = await demands.insertMany(toWrite);
      const written = toWrite.filter((w) => !duplicates.has(w.entity.id));
      const writtenIds = new Set(written.map((w) => w.entity.id));

      const skippedIds = records
        .map((r) => claimed.get(r.reference) ?? known.get(r.reference))
        .filter((id): id is string => id !== undefined && !writtenIds.has(id));
      const unread = skippedIds.filter((id) => !stored.has(id));
      for (const d of unread.length ? await demands.findByIds(unread) : [])
        stored.set(d.id, d);

      return {
        imported: written.map((w) => w.entity),
        skipped: skippedIds.flatMap((id) => {
          const demand = stored.get(id);
          return demand ? [demand] : [];
        }),
      };
    },
  };
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;
