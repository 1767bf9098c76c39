import type { Connection } from 'mongoose';
import type { CertificateView } from '../domain/certificates';
import { readModel, type ReadModelDocument } from './collections';

/**
 * Certificates as certification's events describe them: when issued, when
 * revoked. Each event sets its own fields to absolute values, so effects are
 * idempotent and their order does not matter; the document returned tells the
 * handler whether the other event has been seen (to retract a revoked one).
 */
export function createCertificateViews(connection: Connection) {
  const { model, collection } = readModel(
    connection,
    'CertificateView',
    'certificates',
  );
  const set = async (
    id: string,
    fields: Record<string, unknown>,
  ): Promise<CertificateView> => {
    const doc = await collection.findOneAndUpdate(
      { _id: id },
      { $set: fields },
      { upsert: true, returnDocument: 'after' },
    );
    if (!doc) throw new Error(`certificate ${id} was not upserted`);
    return toView(doc);
  };
  return {
    model,
    issued: (id: string, standardId: string, issuedAt: Date) =>
      set(id, { standardId, issuedAt }),
    revoked: (id: string, standardId: string, revokedAt: Date) =>
      set(id, { standardId, revokedAt }),
    /** After the retraction is applied to every bucket (a crash before this is covered by the buckets' marks). */
    async retracted(id: string): Promise<void> {
      await collection.updateOne({ _id: id }, { $set: { retracted: true } });
    },
  };
}

function toView(doc: ReadModelDocument): CertificateView {
  return {
    id: doc._id,
    standardId: String(doc.standardId),
    issuedAt: doc.issuedAt instanceof Date ? doc.issuedAt : null,
    revokedAt: doc.revokedAt instanceof Date ? doc.revokedAt : null,
    retracted: doc.retracted === true,
  };
}

export type CertificateViews = ReturnType<typeof createCertificateViews>;
