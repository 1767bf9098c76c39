import { v7 as uuidv7 } from 'uuid';
import { ConflictError, requireRole } from '@conecta/service-kit';
import {
  holdsValidKey,
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
  type DecidedImport,
  type ImportLookups,
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
 * collection and key, never one per record nor a read of the whole registry
 * (README: Historical import, "Round trips"). Every lookup that does not need
 * another's answer is sent at once, the certificates of the batch's
 * evaluations included: only the person+standard keys wait for the people.
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
  const evaluationIds = unique(
    records.map((r) => importedEvaluationId(input.source, r.folio)),
  );
  const [standards, bodies, accreditations, people, alreadyImported] =
    await Promise.all([
      stores.projections.findStandards(
        unique(records.map((r) => r.standardId)),
      ),
      stores.bodies.findByIds(unique(records.map((r) => r.certifyingBodyId))),
      stores.accreditations.findForPairs(records),
      stores.people.findByCurps(unique(records.map((r) => r.person.curp))),
      stores.certificates.findByEvaluationIds(evaluationIds),
    ]);
  const peopleByCurp = new Map(people.map((p) => [p.curp, p]));
  // Only people already registered can hold a key: a batch of new people
  // sends no query here.
  const holders = await stores.certificates.findKeyHolders(
    validKeysToCheck(input, peopleByCurp),
  );
  return {
    lookups: {
      importedByEvaluationId: new Map(
        alreadyImported.map((certificate) => [
          certificate.evaluationId,
          certificate,
        ]),
      ),
      standards: new Map(standards.map((s) => [s.id, s])),
      bodyIds: new Set(bodies.map((b) => b.id)),
      accreditations: new Map(
        accreditations.map((a) => [`${a.certifyingBodyId}:${a.standardId}`, a]),
      ),
      peopleByCurp,
      validNow: new Set(
        holders
          .filter(({ certificate }) => holdsValidKey(certificate, now))
          .map(({ validKey }) => validKey),
      ),
    },
    holders,
  };
}

/**
 * Writes the people and evaluations of a decided batch, each kind in one
 * `insertMany` with its events inside the documents (outbox), then releases
 * the keys of expired holders. A CURP registered by someone else meanwhile is
 * used instead of the new person.
 *
 * @returns the id each planned person ended up with, and how many were new
 */
async function writePeopleAndEvaluations(
  { stores, events, requestId }: Context,
  decided: DecidedImport,
  holders: Found['holders'],
  now: Date,
): Promise<{ samePerson: (id: string) => string; registered: number }> {
  const meta = { traceId: requestId };
  const existingPeople = await stores.people.insertManyOrGetExisting(
    decided.people.map((person) => ({
      person,
      events: [events.personRegistered(person, meta)],
    })),
  );
  const personIdOf = new Map(
    decided.people.map((p) => [p.id, existingPeople.get(p.curp)?.id ?? p.id]),
  );
  const samePerson = (id: string) => personIdOf.get(id) ?? id;

  // No EvaluationRecorded: an imported evaluation records no new fact, it is
  // the certificate's provenance (CertificateIssued names it and says imported),
  // and each event is one more document for the relay (README: Historical import).
  await stores.evaluations.insertImported(
    decided.evaluations.map((e) => ({
      evaluation: { ...e, candidateId: samePerson(e.candidateId) },
      events: [],
    })),
  );
  await stores.certificates.releaseKeys(holders, now);
  return {
    samePerson,
    registered: decided.people.length - existingPeople.size,
  };
}

/**
 * Writes a decided batch in bulk — people, then evaluations, then
 * certificates, each kind in one `insertMany` with its events inside the
 * documents (outbox) — and returns every record's result. The batch's status
 * entries are reserved while the people and evaluations are written (the
 * certificates are the only documents that need them), so the reservation
 * adds no round trip to the batch's path.
 *
 * @throws ConflictError CONCURRENT_MODIFICATION when a person got a VALID
 *   certificate for the same standard meanwhile (the rest is written)
 */
async function write(
  ctx: Context,
  decided: DecidedImport,
  holders: Found['holders'],
  now: Date,
): Promise<{ results: RecordResult[]; peopleRegistered: number }> {
  const { stores, events, requestId } = ctx;
  const meta = { traceId: requestId };
  // Reserved only once the batch is accepted, so refused batches use up no
  // entries. A batch that fails while writing its people or evaluations
  // leaves its reserved positions unused, as a crash would: they are never
  // handed out again, and lists only lose that many entries.
  const [entries, { samePerson, registered }] = await Promise.all([
    drawSlots(ctx, decided.certificates.length),
    writePeopleAndEvaluations(ctx, decided, holders, now),
  ]);
  const plan = withStatusEntries(decided, entries);
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
    peopleRegistered: registered,
  };
}

/**
 * The historical import (README: Historical import): admin only, whole batch
 * checked first, then written in bulk. New records only (people, evaluations,
 * certificates, each kind in one `insertMany`; re-runs find what is already
 * there), so no `runCommand`.
 */
export async function importHistoricalCertificatesCommand(
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
  const { results, peopleRegistered } = await write(
    ctx,
    decided,
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
