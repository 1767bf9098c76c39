import { Schema, type Connection } from 'mongoose';
import { applyOnce } from '@conecta/events';
import type {
  Nomination,
  OrganizationView,
  StandardStatus,
  StandardView,
} from '../domain/projections';

// Local read models of other services' events. Each effect is one
// single-document update guarded by applyOnce (or a natural upsert by id), so a
// redelivered event changes nothing twice.

export interface StandardDoc extends Omit<StandardView, 'id'> {
  _id: string;
}
export interface NominationDoc extends Omit<Nomination, 'id'> {
  _id: string;
}
export interface OrganizationDoc extends Omit<OrganizationView, 'id'> {
  _id: string;
}

const standardSchema = new Schema<StandardDoc>(
  {
    _id: String,
    code: String,
    title: String,
    version: Number,
    committeeId: String,
    level: Number,
    status: String,
    certificateValidityYears: Number,
    gazetteDate: String,
  },
  { versionKey: false, strict: false },
);
const nominationSchema = new Schema<NominationDoc>(
  {
    _id: String,
    committeeId: String,
    standardId: { type: String, index: true },
    organizationId: String,
  },
  { versionKey: false },
);
const organizationSchema = new Schema<OrganizationDoc>(
  { _id: String, name: String, state: String },
  { versionKey: false, strict: false },
);

/** What the standards projection learns from one event. */
export type StandardChange =
  | {
      status: 'PUBLISHED';
      code: string;
      title: string;
      version: number;
      committeeId: string;
      level: number;
      certificateValidityYears: number;
      gazetteDate: string;
    }
  | {
      status: Exclude<StandardStatus, 'PUBLISHED'>;
      code: string;
      version: number;
      committeeId: string;
      level: number;
    };

export function createProjectionStore(connection: Connection) {
  const standards = connection.model<StandardDoc>(
    'StandardView',
    standardSchema,
    'standards_view',
  );
  const nominations = connection.model<NominationDoc>(
    'NominationView',
    nominationSchema,
    'nominations_view',
  );
  const organizations = connection.model<OrganizationDoc>(
    'OrganizationView',
    organizationSchema,
    'organizations_view',
  );

  return {
    standards,
    nominations,
    organizations,

    /**
     * Applies a standard's lifecycle event once (upsert: events may precede
     * each other across topics). An event already applied still fills a
     * missing `level`: that is how a replay of the standards topic backfills
     * projections written before the level was kept (`lacksLevels`).
     */
    async applyStandardChange(
      standardId: string,
      change: StandardChange,
      eventId: string,
    ): Promise<boolean> {
      const applied = await applyOnce(
        standards.collection,
        { _id: standardId } as never,
        { $set: change },
        eventId,
        { upsert: true },
      );
      if (!applied)
        await standards.collection.updateOne(
          { _id: standardId, level: { $exists: false } } as never,
          { $set: { level: change.level } },
        );
      return applied;
    },

    /** Whether some standard's projection was written before `level` was kept. */
    async lacksLevels(): Promise<boolean> {
      return (await standards.exists({ level: { $exists: false } })) !== null;
    },

    /** Records a nomination; naturally idempotent (keyed by the nomination id). */
    async recordNomination(nomination: Nomination): Promise<void> {
      const { id, ...fields } = nomination;
      await nominations.collection.updateOne(
        { _id: id } as never,
        { $set: fields },
        { upsert: true },
      );
    },

    /** Records an organization of the directory; naturally idempotent. */
    async recordOrganization(org: OrganizationView): Promise<void> {
      const { id, ...fields } = org;
      await organizations.collection.updateOne(
        { _id: id } as never,
        { $set: fields },
        { upsert: true },
      );
    },

    async findStandards(ids: readonly string[]): Promise<StandardView[]> {
      const docs = await standards
        .find({ _id: { $in: ids } })
        .lean<StandardDoc[]>();
      return (
        docs
          // A withdrawal seen before its publication leaves a partial view: not usable yet.
          .filter(
            (d) =>
              typeof d.certificateValidityYears === 'number' ||
              d.status !== 'PUBLISHED',
          )
          .map((d) => ({
            id: d._id,
            code: d.code,
            title: d.title ?? d.code,
            version: d.version,
            committeeId: d.committeeId,
            status: d.status,
            level: d.level ?? null,
            certificateValidityYears: d.certificateValidityYears ?? 0,
            gazetteDate: d.gazetteDate ?? null,
          }))
      );
    },

    /**
     * Up to `limit` standard ids after `after`, in id order: every standard a
     * certificate can have been issued or imported against (both need it
     * here), for the recount of certificate counts.
     */
    async standardIdsAfter(after: string, limit: number): Promise<string[]> {
      const docs = await standards
        .find({ _id: { $gt: after } }, { _id: 1 })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<Pick<StandardDoc, '_id'>[]>();
      return docs.map((d) => d._id);
    },

    async nominationsFor(standardId: string): Promise<Nomination[]> {
      const docs = await nominations
        .find({ standardId })
        .lean<NominationDoc[]>();
      return docs.map((d) => ({
        id: d._id,
        committeeId: d.committeeId,
        standardId: d.standardId,
        organizationId: d.organizationId,
      }));
    },

    async findOrganization(id: string): Promise<OrganizationView | null> {
      const doc = await organizations.findById(id).lean<OrganizationDoc>();
      return doc ? { id: doc._id, name: doc.name, state: doc.state } : null;
    },
  };
}

export type ProjectionStore = ReturnType<typeof createProjectionStore>;
