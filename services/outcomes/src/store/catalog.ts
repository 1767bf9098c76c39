import type { Connection } from 'mongoose';
import type { CohortView, FacilitySnapshot } from '../domain/scope';
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
  const find = async (
    filter: Record<string, unknown>,
  ): Promise<Array<{ id: string; standardId: string | null }>> => {
    const docs = await model.find(filter).lean<ReadDoc[]>();
    return docs.map((doc) => ({
      id: doc._id,
      standardId: text(doc.standardId),
    }));
  };
  return {
    model,
    setMany: (views: readonly ViewSet[]) => setViews(collection, views),
    all: () => find({}),
    /** These credentials. */
    byIds: (ids: readonly string[]) => find({ _id: { $in: [...ids] } }),
  };
}

/**
 * Certifying bodies' facility states over time, one snapshot per
 * `certification.CertifyingBodyRegistered` / `CertifyingBodyChanged` (under
 * the event's id in `facilities`): what gives a certificate the state it was
 * evaluated in (`evaluationStateOf`). Absolute `$set`s: idempotent, order-free.
 */
export function createBodyViews(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'CertifyingBodyView',
    'certifying_bodies',
    suffix,
  );
  return {
    model,
    setMany: (views: readonly ViewSet[]) => setViews(collection, views),
    async all(): Promise<Map<string, FacilitySnapshot[]>> {
      const docs = await model.find({}).lean<ReadDoc[]>();
      return new Map(
        docs.map((doc) => [
          doc._id,
          Object.values(
            (doc.facilities ?? {}) as Record<
              string,
              { changedAt: Date; states: string[] }
            >,
          ).map(({ changedAt, states }) => ({
            changedAt: new Date(changedAt),
            states,
          })),
        ]),
      );
    },
  };
}

export type BodyViews = ReturnType<typeof createBodyViews>;
export type CohortViews = ReturnType<typeof createCohortViews>;
export type CredentialViews = ReturnType<typeof createCredentialViews>;
