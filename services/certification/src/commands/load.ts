import type DataLoader from 'dataloader';
import { orNotFound } from '@conecta/service-kit';
import type { Accreditation } from '../domain/accreditation';
import { requireActiveScope } from '../domain/accreditation';
import type { Candidacy } from '../domain/candidacy';
import type { Certificate } from '../domain/certificate';
import type { CertifyingBody } from '../domain/certifying-body';
import type { EvaluationProcedure } from '../domain/evaluation-procedure';
import type { Context } from '../context';

// What the commands share: the loads of what they change (fresh, for
// runCommand's retry), the reference checks of their inputs, and the one
// conditional write of a change with its events. Queries use `loadOrThrow`
// too.

/**
 * Loads an entity through its DataLoader (the request cache: reference data,
 * and what queries read).
 *
 * @throws NotFoundError (`<ENTITY>_NOT_FOUND`) when there is none
 */
export function loadOrThrow<T>(
  loader: DataLoader<string, T | null>,
  id: string,
  entity: string,
): Promise<T> {
  return orNotFound(loader.load(id), entity, id);
}

/**
 * The entity a command changes, read from its store (not the request cache:
 * a retry of `runCommand` must see the write it lost to).
 *
 * @throws NotFoundError (`<ENTITY>_NOT_FOUND`) when there is none
 */
export function loadFresh<T>(
  store: { findByIds(ids: readonly string[]): Promise<T[]> },
  id: string,
  entity: string,
): Promise<T> {
  return orNotFound(
    store.findByIds([id]).then(([found]) => found),
    entity,
    id,
  );
}

/**
 * A candidacy is the relationship of the body that will evaluate: its
 * accreditation must be ACTIVE and allow EVALUATION (a certification-only
 * body evaluates no one).
 *
 * @throws ConflictError ACCREDITATION_NOT_ACTIVE or NOT_ACCREDITED_FOR_EVALUATION on input.standardId
 */
export async function requireActiveAccreditation(
  { stores }: Pick<Context, 'stores'>,
  certifyingBodyId: string,
  standardId: string,
): Promise<void> {
  requireActiveScope(
    await stores.accreditations.findFor(certifyingBodyId, standardId),
    'EVALUATION',
    'input.standardId',
  );
}

/** A certificate, read fresh, with the body that issued it (whose CERTIFIERs may change it). */
export interface CertificateWithBody {
  certificate: Certificate;
  body: CertifyingBody;
}

/** The certificate `id` (fresh) and its issuing body, or NOT_FOUND. */
export async function loadCertificate(
  { stores, loaders }: Pick<Context, 'stores' | 'loaders'>,
  id: string,
): Promise<CertificateWithBody> {
  const certificate = await loadFresh(stores.certificates, id, 'Certificate');
  const body = await loadOrThrow(
    loaders.body,
    certificate.certifyingBodyId,
    'CertifyingBody',
  );
  return { certificate, body };
}

/**
 * The `save` step of the commands on a certifying body (staff, fees,
 * facilities): the next state and its `CertifyingBodyChanged`, conditional
 * on the revision it was read at; CONFLICT `CONCURRENT_MODIFICATION` when it
 * changed meanwhile (`runCommand` then runs the command again on what won).
 *
 * @returns the saved body, at its next revision
 */
export function saveBody(
  {
    stores,
    events,
    requestId,
  }: Pick<Context, 'stores' | 'events' | 'requestId'>,
  next: CertifyingBody,
): Promise<CertifyingBody> {
  return stores.bodies.update(next, [
    events.bodyChanged(next, new Date(), { traceId: requestId }),
  ]);
}

/**
 * The `save` step of an accreditation's transition: the next state and its
 * `AccreditationChanged`, conditional on the status `before` was read in;
 * CONFLICT `CONCURRENT_MODIFICATION` when it changed meanwhile.
 */
export async function saveAccreditation(
  {
    stores,
    events,
    requestId,
  }: Pick<Context, 'stores' | 'events' | 'requestId'>,
  before: Accreditation,
  next: Accreditation,
): Promise<Accreditation> {
  await stores.accreditations.transition(next, before.status, [
    events.accreditationChanged(next, { traceId: requestId }),
  ]);
  return next;
}

/**
 * The `save` step of a candidacy's answer: the next state and its
 * `CandidacyChanged`, conditional on the status `before` was read in;
 * CONFLICT `CONCURRENT_MODIFICATION` when it changed meanwhile.
 */
export async function saveCandidacy(
  {
    stores,
    events,
    requestId,
  }: Pick<Context, 'stores' | 'events' | 'requestId'>,
  before: Candidacy,
  next: Candidacy,
): Promise<Candidacy> {
  await stores.candidacies.transition(next, before.status, [
    events.candidacyChanged(next, { traceId: requestId }),
  ]);
  return next;
}

/**
 * The `save` step of an evaluation procedure's transition: the next state
 * and its event, conditional on the status `before` was read in; CONFLICT
 * `CONCURRENT_MODIFICATION` when it changed meanwhile.
 */
export async function saveProcedure(
  {
    stores,
    events,
    requestId,
  }: Pick<Context, 'stores' | 'events' | 'requestId'>,
  before: EvaluationProcedure,
  next: EvaluationProcedure,
): Promise<EvaluationProcedure> {
  await stores.procedures.transition(
    next,
    before.status,
    events.procedureChanged(next, { traceId: requestId }),
  );
  return next;
}
