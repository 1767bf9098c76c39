import type { Connection } from 'mongoose';
import type { CohortView } from '../domain/scope';
import type { ViewSet } from '../events/plan';
import { readModel, setViews, type ReadDoc } from './collections';

const text = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;

/**
 * Cohorts as training scheduled them (state and target), from
 * `training.CohortScheduled`: what gives an enrollment or a completion its
 * state, and a completion its target, at read time. Absolute `$set`s:
 * idempotent, order-free.
 */
export function createCohortViews(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'CohortView',
    'cohorts',
    suffix,
  );
  return {
    model,
    setMany: (views: readonly ViewSet[]) => setViews(collection, views),
    async all(): Promise<CohortView[]> {
      const docs = await model.find({}).lean<ReadDoc[]>();
      return docs.map((doc) => ({
        id: doc._id,
        state: text(doc.state),
        standardId: text(doc.standardId),
        credentialId: text(doc.credentialId),
      }));
    },
  };
}

/**
 * Vendor credentials and the competency standard each is aligned with (if
 * any), from `training.VendorCredentialRegistered`: a credential's sector is
 * its standard's.
 */
export function createCredentialViews(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'CredentialView',
    'credentials',
    suffix,
  );
  return {
    model,
    setMany: (views: readonly ViewSet[]) => setViews(collection, views),
    async all(): Promise<Array<{ id: string; standardId: string | null }>> {
      const docs = await model.find({}).lean<ReadDoc[]>();
      return docs.map((doc) => ({
        id: doc._id,
        standardId: text(doc.standardId),
      }));
    },
  };
}

export type CohortViews = ReturnType<typeof createCohortViews>;
export type CredentialViews = ReturnType<typeof createCredentialViews>;
