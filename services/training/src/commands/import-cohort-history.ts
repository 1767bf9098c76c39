import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import {
  agreementFor,
  checkCohortRecords,
  checkCohortReferences,
  historicalCohort,
  parseCohortRecords,
} from '../domain/cohort-history';
import { assertValidBatch, importBatchInput } from '../domain/history';
import { assertImporter } from '../domain/permissions';
import type { Context } from '../context';
import { seatsHeldBy } from './enrollment-saga';
import { knownForCohorts, metaOf, present } from './load';

/**
 * An admin imports past cohorts with their enrollments from a legacy
 * register: the whole batch checked before anything is written (shapes, the
 * rules across fields, then what training knows: one query per kind); a
 * cohort already imported from the same source is skipped.
 */
export async function importCohortHistoryCommand(
  ctx: Context,
  rawInput: unknown,
) {
  const importedBy = assertImporter(ctx.identity);
  const { source, records } = parseInput(importBatchInput, rawInput);
  const now = new Date();
  const { valid, problems } = parseCohortRecords(records);
  const known = await knownForCohorts(ctx, valid);
  assertValidBatch([
    ...problems,
    ...checkCohortRecords(valid, now),
    ...checkCohortReferences(valid, known),
  ]);
  const meta = metaOf(ctx, now);
  const audit = { importedBy, importedAt: now };
  const { imported, skipped, enrollments } =
    await ctx.stores.cohortHistory.importBatch(
      source,
      valid.map(({ record }) => {
        // Checked above: every valid record has its agreement.
        const agreement = present(
          agreementFor(record, known.agreements),
          'agreement',
        );
        return {
          folio: record.folio,
          // UUID v7 stamped with the cohort's first day: lists ordered by
          // id place history where it happened.
          newIds: () => ({
            cohortId: uuidv7({ msecs: record.startsOn.getTime() }),
            enrollmentIds: record.participants.map(() =>
              uuidv7({ msecs: record.startsOn.getTime() }),
            ),
          }),
          create: ({ cohortId, enrollmentIds }) => {
            const built = historicalCohort(record, agreement, {
              cohortId,
              enrollmentIds,
              source,
              ...audit,
            });
            const events = ctx.events.cohortImported(
              built.cohort,
              built.enrollments,
              meta,
            );
            return {
              cohort: {
                entity: built.cohort,
                events: events.cohort,
                seats: seatsHeldBy(built.enrollments),
              },
              enrollments: built.enrollments.map((entity) => ({
                entity,
                events: events.enrollments.get(entity.id) ?? [],
              })),
            };
          },
        };
      }),
      audit,
    );
  return {
    source,
    importedCount: imported.length,
    skippedCount: skipped.length,
    enrollmentCount: enrollments,
    imported,
    skipped,
  };
}
