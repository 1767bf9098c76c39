import { v7 as uuidv7 } from 'uuid';
import { ConflictError, requireRole } from '@conecta/service-kit';
import {
  certificateStatus,
  newVerificationCode,
  type Certificate,
  type CertificateEntry,
} from '../domain/certificate';
import {
  importedEvaluationId,
  importerOf,
  parseImportInput,
  planHistoricalImport,
  validKeysToCheck,
  withStatusEntries,
  type ImportHistoricalCertificatesInput,
  type ImportLookups,
  type ImportPlan,
  type RecordResult,
} from '../domain/historical-import';
import { CAN_IMPORT_HISTORY } from '../domain/permissions';
import type { Context } from '../context';

/** `count` status-list entries (reserved on the one counter; they may span lists) and fresh verification codes. */
async function drawSlots(
  { stores }: Context,
  count: number,
): Promise<CertificateEntry[]> {
  if (count === 0) return [];
  const entries = await stores.certificates.reserveStatusEntries(count);
  return entries.map((entry) => ({
    verificationCode: newVerificationCode(),
    ...entry,
  }));
}

/**
 * What the rules need about a batch: one equality (`$in`) query per
 * collection and key, sent together, never one per record nor a read of the
 * whole registry (README: Historical import, "Round trips").
 */
interface Found {
  lookups: ImportLookups;
  /** Certificates holding the person+standard keys of the batch (some may need releasing). */
  holders: { certificate: Certificate; validKey: string }[];
}

async function lookUp(
  { stores }: Context,
  input: ImportHistoricalCertificatesInput,
  now: Date,
): Promise<Found> {
  const unique = (values: string[]) => [...new Set(values)];
  const { records } = input;
  const [standards, bodies, accreditations, people] = await Promise.all([
    stores.projections.findStandards(unique(records.map((r) => r.standardId))),
    stores.bodies.findByIds(unique(records.map((r) => r.certifyingBodyId))),
    stores.accreditations.findForPairs(records),
    stores.people.findByCurps(unique(records.map((r) => r.person.curp))),
  ]);
  const peopleByCurp = new Map(people.map((p) => [p.curp, p]));
  const evaluationIds = new Set(
    records.map((r) => importedEvaluationId(input.source, r.folio)),
  );
  const validKeys = new Set(validKeysToCheck(input, peopleByCurp));
  const found = await stores.certificates.findForImport(
    [...evaluationIds],
    [...validKeys],
  );
  const holders = found.filter(({ validKey }) => validKeys.has(validKey));
  return {
    lookups: {
      importedByEvaluationId: new Map(
        found
          .filter(({ certificate }) =>
            evaluationIds.has(certificate.evaluationId),
          )
          .map(({ certificate }) => [certificate.evaluationId, certificate]),
      ),
      standards: new Map(standards.map((s) => [s.id, s])),
      bodyIds: new Set(bodies.map((b) => b.id)),
      accreditations: new Map(
        accreditations.map((a) => [`${a.certifyingBodyId}:${a.standardId}`, a]),
      ),
      peopleByCurp,
      validNow: new Set(
        holders
          .filter(
            ({ certificate }) =>
              certificateStatus(certificate, now) === 'VALID',
          )
          .map(({ validKey }) => validKey),
      ),
    },
    holders,
  };
}

/**
 * Writes a decided batch in bulk — people, then evaluations, then
 * certificates, each kind in one `insertMany` with its events inside the
 * documents (outbox) — and returns every record's result. A CURP registered by
 * someone else meanwhile is used instead of the new person.
 *
 * @throws ConflictError CONCURRENT_MODIFICATION when a person got a VALID
 *   certificate for the same standard meanwhile (the rest is written)
 */
async function write(
  ctx: Context,
  plan: ImportPlan,
  holders: Found['holders'],
  now: Date,
): Promise<{ results: RecordResult[]; peopleRegistered: number }> {
  const { stores, events, requestId } = ctx;
  const meta = { traceId: requestId };
  const existingPeople = await stores.people.insertManyOrGetExisting(
    plan.people.map((person) => ({
      person,
      events: [events.personRegistered(person, meta)],
    })),
  );
  const personIdOf = new Map(
    plan.people.map((p) => [p.id, existingPeople.get(p.curp)?.id ?? p.id]),
  );
  const samePerson = (id: string) => personIdOf.get(id) ?? id;

  // No EvaluationRecorded: an imported evaluation records no new fact, it is
  // the certificate's provenance (CertificateIssued names it and says imported),
  // and each event is one more document for the relay (README: Historical import).
  await stores.evaluations.insertImported(
    plan.evaluations.map((e) => ({
      evaluation: { ...e, candidateId: samePerson(e.candidateId) },
      events: [],
    })),
  );
  await stores.certificates.releaseKeys(holders, now);
  const written = await stores.certificates.insertImported(
    plan.certificates.map((c) => {
      const certificate = { ...c, personId: samePerson(c.personId) };
      return {
        certificate,
        events: [events.certificateIssued(certificate, meta)],
      };
    }),
    (count) => drawSlots(ctx, count),
    now,
  );
  if (written.conflicting.length > 0) {
    const folios = written.conflicting.map((c) => c.provenance?.folio);
    throw new ConflictError(
      'CONCURRENT_MODIFICATION',
      `Not imported: folios ${folios.join(', ')} (the person got a VALID certificate for the same standard meanwhile). The rest of the batch was written; send it again to see why.`,
    );
  }

  const final = new Map<string, Certificate>();
  for (const c of written.inserted) final.set(c.evaluationId, c);
  for (const c of written.existing) final.set(c.evaluationId, c);
  const results = plan.results.map((result) => {
    if (result.outcome === 'ALREADY_IMPORTED') return result;
    const stored = final.get(result.certificate.evaluationId)!;
    // Imported at the same moment by another call: that one's certificate.
    return stored.id === result.certificate.id
      ? { ...result, certificate: stored }
      : {
          ...result,
          outcome: 'ALREADY_IMPORTED' as const,
          certificate: stored,
        };
  });
  return {
    results,
    peopleRegistered: plan.people.length - existingPeople.size,
  };
}

/** The historical import (README: Historical import): admin only, whole batch checked first. */
export async function importHistoricalCertificates(
  ctx: Context,
  rawInput: unknown,
) {
  requireRole(ctx.identity, ...CAN_IMPORT_HISTORY);
  const importedBy = importerOf(ctx.identity);
  const input = parseImportInput(rawInput);
  const now = new Date();
  const found = await lookUp(ctx, input, now);
  const decided = planHistoricalImport(input, found.lookups, {
    now,
    importedBy,
    evaluationMaxAgeMonths: ctx.settings.evaluationMaxAgeMonths,
    newId: () => uuidv7(),
  });
  // Reserved only once the batch is accepted, so refused batches use up no entries.
  const plan = withStatusEntries(
    decided,
    await drawSlots(ctx, decided.certificates.length),
  );
  const { results, peopleRegistered } = await write(
    ctx,
    plan,
    found.holders,
    now,
  );
  return {
    source: input.source,
    imported: results.filter((r) => r.outcome === 'IMPORTED').length,
    alreadyImported: results.filter((r) => r.outcome === 'ALREADY_IMPORTED')
      .length,
    peopleRegistered,
    records: results,
  };
}
