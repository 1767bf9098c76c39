import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import {
  assertValidBatch,
  checkHistoricalRecords,
  checkHistoricalReferences,
  historicalDemand,
  importBatchInput,
  parseHistoricalRecords,
} from '../domain/history';
import { assertImporter } from '../domain/permissions';
import type { Context } from '../context';
import { knownIdsOf, metaOf } from './load';

/**
 * An admin imports closed demand requests from a legacy register: the whole
 * batch checked before anything is written; a record already imported from
 * the same source is skipped (store/history: re-runs and concurrent runs).
 */
export async function importDemandHistoryCommand(
  ctx: Context,
  rawInput: unknown,
) {
  const importedBy = assertImporter(ctx.identity);
  const { source, records } = parseInput(importBatchInput, rawInput);
  const now = new Date();
  const { valid, problems } = parseHistoricalRecords(records);
  const known = await knownIdsOf(ctx, valid);
  assertValidBatch([
    ...problems,
    ...checkHistoricalRecords(valid, now),
    ...checkHistoricalReferences(valid, known),
  ]);
  const meta = metaOf(ctx, now);
  const audit = { importedBy, importedAt: now };
  const { imported, skipped } = await ctx.stores.history.importBatch(
    source,
    valid.map(({ record }) => ({
      reference: record.reference,
      // UUID v7 stamped with the historical date: lists ordered by id
      // (oldest first) place history where it happened.
      newId: () => uuidv7({ msecs: record.requestedAt.getTime() }),
      create: (id) => {
        const entity = historicalDemand(record, { id, source, ...audit });
        return { entity, events: ctx.events.demandImported(entity, meta) };
      },
    })),
    audit,
  );
  return {
    source,
    importedCount: imported.length,
    skippedCount: skipped.length,
    imported,
    skipped,
  };
}
