import { createHash, randomBytes } from 'node:crypto';

// Safeguard 2 (certification): no accreditation becomes ACTIVE until its body
// has an APPROVED evaluation procedure. Every test that activates one gets a
// procedure approved first, with these.

/** A body's evaluation procedure document: an https URL and the SHA-256 of fresh random bytes. */
export function procedureDocument(name = 'procedimiento-de-evaluacion'): {
  documentUrl: string;
  documentSha256: string;
} {
  const bytes = randomBytes(32);
  return {
    documentUrl: `https://documentos.conecta.example/${name}-${bytes.toString('hex').slice(0, 12)}.pdf`,
    documentSha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

export const DRAFT_PROCEDURE = `mutation ($input: DraftEvaluationProcedureInput!) { draftEvaluationProcedure(input: $input) { id version status } }`;
export const SUBMIT_PROCEDURE = `mutation ($id: ID!) { submitEvaluationProcedure(id: $id) { id status } }`;
export const APPROVE_PROCEDURE = `mutation ($id: ID!) { approveEvaluationProcedure(id: $id) { id version status } }`;

/**
 * Drafts, submits and approves a procedure for the body, all as an admin
 * (`asAdmin` sends one operation and answers its data, throwing on errors);
 * answers the approved version.
 */
export async function approvedProcedure(
  asAdmin: (
    query: string,
    variables: Record<string, unknown>,
  ) => Promise<Record<string, any>>,
  certifyingBodyId: string,
): Promise<{ id: string; version: number }> {
  const { draftEvaluationProcedure } = await asAdmin(DRAFT_PROCEDURE, {
    input: { certifyingBodyId, ...procedureDocument() },
  });
  await asAdmin(SUBMIT_PROCEDURE, { id: draftEvaluationProcedure.id });
  const { approveEvaluationProcedure } = await asAdmin(APPROVE_PROCEDURE, {
    id: draftEvaluationProcedure.id,
  });
  return {
    id: approveEvaluationProcedure.id,
    version: approveEvaluationProcedure.version,
  };
}
