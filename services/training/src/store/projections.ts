import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import { applyOnce } from '@conecta/events';
import type { CertificateFact } from '../domain/indicators';
import { fromDoc } from './aggregate';

type Doc = Record<string, unknown> & { _id: string };

/**
 * A read model fed by another service's events: each effect is one
 * single-document upsert with its "applied" mark (applyOnce), so a redelivered
 * event changes nothing.
 */
function createProjection<T extends { id: string }>(
  connection: Connection,
  name: string,
  collection: string,
  indexes: Array<Record<string, 1>> = [],
) {
  const schema = new Schema<Doc>(
    {
      _id: { type: String, required: true },
      appliedEventIds: { type: [String], select: false },
    },
    { versionKey: false, strict: false },
  );
  for (const fields of indexes) schema.index(fields);
  const model = connection.model<Doc>(name, schema, collection);
  return {
    model,
    /** Sets `fields` on the document `id` once per event. @returns false if already applied */
    apply(
      eventId: string,
      id: string,
      fields: Record<string, unknown>,
    ): Promise<boolean> {
      return applyOnce(
        // The driver types _id as ObjectId by default; our ids are UUID strings.
        model.collection as unknown as Collection<Doc>,
        { _id: id },
        { $set: fields },
        eventId,
        { upsert: true },
      );
    },
    async findByIds(ids: readonly string[]): Promise<T[]> {
      const docs = await model.find({ _id: { $in: [...ids] } }).lean<Doc[]>();
      return docs.map((doc) => fromDoc<T>(doc));
    },
    async find(filter: Record<string, unknown>): Promise<T[]> {
      const docs = await model.find(filter).lean<Doc[]>();
      return docs.map((doc) => fromDoc<T>(doc));
    },
  };
}

/** A standard as standards' events describe it. */
export interface StandardView {
  id: string;
  code: string;
  title: string;
  status: 'PUBLISHED' | 'WITHDRAWN' | 'SUPERSEDED';
}

/** A person of certification's registry (id and initials: no personal data). */
export interface PersonView {
  id: string;
  initials: string;
}

/** An organization of committees' directory. */
export interface OrganizationView {
  id: string;
  name: string;
  kind: string;
  state: string;
}

/**
 * A provider's employer-survey score as outcomes last released it
 * (`outcomes.ProviderSurveyScoreChanged`): the average 1–5 and the responses,
 * both null when outcomes withholds them; `revision` orders the releases.
 */
export interface ProviderSurveyView {
  id: string;
  revision: number;
  responses: number | null;
  score: number | null;
}

/** Every projection this service keeps from other services' events. */
export function createProjections(connection: Connection) {
  const certificates = createProjection<
    Omit<CertificateFact, 'revoked'> & { revoked?: boolean }
  >(connection, 'CertificateView', 'certificate_views', [{ personId: 1 }]);
  const providerSurveys = createProjection<ProviderSurveyView>(
    connection,
    'ProviderSurveyView',
    'provider_survey_views',
  );
  return {
    providerSurveys: {
      ...providerSurveys,
      /**
       * Keeps the release of `revision` unless a later one is stored, once
       * per event: an older release delivered late (or redelivered) changes
       * nothing. @returns false when not applied
       */
      applyRevision(
        eventId: string,
        providerId: string,
        release: Omit<ProviderSurveyView, 'id'>,
      ): Promise<boolean> {
        return applyOnce(
          providerSurveys.model.collection as unknown as Collection<Doc>,
          // No document, or an older release: applied. A later one: the
          // filter matches nothing and the upsert's insert is refused as a
          // duplicate _id, which applyOnce reads as "already applied".
          { _id: providerId, revision: { $lt: release.revision } },
          { $set: release },
          eventId,
          { upsert: true },
        );
      },
    },
    standards: createProjection<StandardView>(
      connection,
      'StandardView',
      'standard_views',
    ),
    persons: createProjection<PersonView>(
      connection,
      'PersonView',
      'person_views',
    ),
    organizations: createProjection<OrganizationView>(
      connection,
      'OrganizationView',
      'organization_views',
    ),
    certificates: {
      ...certificates,
      /** Unrevoked-or-not certificates of these people, one query. */
      async ofPersons(
        personIds: readonly string[],
      ): Promise<CertificateFact[]> {
        const found = await certificates.find({
          personId: { $in: [...personIds] },
          issuedAt: { $exists: true },
        });
        return found.map((c) => ({ ...c, revoked: c.revoked === true }));
      },
    },
  };
}

export type Projections = ReturnType<typeof createProjections>;
