import type { Connection } from 'mongoose';
import type { CertificateView } from '../domain/certificates';
import type { ViewSet } from '../events/plan';
import {
  findManyByIds,
  readModel,
  setViews,
  type ReadModelDocument,
} from './collections';

/**
 * Certificates as certification's events describe them: when issued, when
 * revoked, and whether the revocation has been subtracted (`retracted`). Each
 * batch sets absolute values, so re-applying it changes nothing; the batch
 * planner reads the views first to know whether a revocation completes the
 * picture.
 */
export function createCertificateViews(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'CertificateView',
    'certificates',
    suffix,
  );
  return {
    model,
    setMany: (views: readonly ViewSet[]) => setViews(collection, views),
    /** The stored views of these certificates (`$in` queries, see `findManyByIds`). */
    async findByIds(
      ids: readonly string[],
    ): Promise<Map<string, CertificateView>> {
      if (ids.length === 0) return new Map();
      const docs = await findManyByIds(collection, ids);
      return new Map(docs.map((doc) => [doc._id, toView(doc)]));
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
    personId: typeof doc.personId === 'string' ? doc.personId : null,
    certifyingBodyId:
      typeof doc.certifyingBodyId === 'string' ? doc.certifyingBodyId : null,
  };
}

export type CertificateViews = ReturnType<typeof createCertificateViews>;
