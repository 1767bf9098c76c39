import { Schema, type Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { applyOnce } from '@conecta/events';
import type {
  AgendaInForce,
  AgendaItemView,
  CommitteeView,
} from '../domain/committee';

/** The local projection of a committee, built from the committees topic. */
export interface CommitteeDoc {
  _id: string;
  name?: string;
  sectorId?: string;
  status?: CommitteeView['status'];
  memberOrganizationIds?: string[];
  installedAt?: Date;
  dissolvedAt?: Date;
  /** The agenda in force: the highest version heard of. */
  agenda?: AgendaInForce;
  /** Ids of the events already applied (applyOnce). */
  appliedEventIds?: string[];
}

const committeeSchema = new Schema<CommitteeDoc>(
  {
    _id: { type: String, required: true },
    name: String,
    sectorId: String,
    status: String,
    // "Which committees is this organization on?" answers visibility per request.
    memberOrganizationIds: { type: [String], index: true },
    installedAt: Date,
    dissolvedAt: Date,
    agenda: Schema.Types.Mixed,
    appliedEventIds: { type: [String], select: false },
  },
  // Written by the projection through applyOnce (the driver); mongoose reads.
  { versionKey: false },
);

function toCommittee(doc: CommitteeDoc): CommitteeView | null {
  // A committee known only from a membership change (its installation not yet
  // seen) owns nothing: it is not installed as far as standards knows.
  if (!doc.status || !doc.sectorId) return null;
  return {
    id: doc._id,
    name: doc.name ?? '',
    sectorId: doc.sectorId,
    status: doc.status,
    memberOrganizationIds: doc.memberOrganizationIds ?? [],
    agenda: doc.agenda ?? null,
  };
}

/** Committees as standards knows them (installed, dissolved, members). */
export function createCommitteeStore(connection: Connection) {
  const model = connection.model<CommitteeDoc>(
    'Committee',
    committeeSchema,
    'committees',
  );

  // The driver types _id as ObjectId by default; our ids are UUID strings.
  const collection = model.collection as unknown as Collection<CommitteeDoc>;

  return {
    model,

    async findByIds(ids: readonly string[]): Promise<CommitteeView[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<CommitteeDoc[]>();
      return docs
        .map(toCommittee)
        .filter((c): c is CommitteeView => c !== null);
    },

    /** Ids of the committees an organization sits on. */
    async idsWithMember(organizationId: string): Promise<string[]> {
      const docs = await model
        .find({ memberOrganizationIds: organizationId })
        .lean<CommitteeDoc[]>();
      return docs.map((d) => d._id);
    },

    /**
     * Records an installation once. A dissolved committee stays dissolved: the
     * filter excludes it, so the upsert hits its _id and is a no-op.
     */
    installed(
      eventId: string,
      data: {
        id: string;
        name: string;
        sectorId: string;
        memberOrganizationIds: string[];
        installedAt: string;
      },
    ): Promise<boolean> {
      return applyOnce(
        collection,
        { _id: data.id, status: { $ne: 'DISSOLVED' } },
        {
          $set: {
            name: data.name,
            sectorId: data.sectorId,
            status: 'INSTALLED',
            memberOrganizationIds: data.memberOrganizationIds,
            installedAt: new Date(data.installedAt),
          },
        },
        eventId,
        { upsert: true },
      );
    },

    /** Records a dissolution once (also for a committee whose installation was never seen). */
    dissolved(
      eventId: string,
      data: { id: string; dissolvedAt: string },
    ): Promise<boolean> {
      return applyOnce(
        collection,
        { _id: data.id },
        {
          $set: {
            status: 'DISSOLVED',
            dissolvedAt: new Date(data.dissolvedAt),
          },
        },
        eventId,
        { upsert: true },
      );
    },

    /**
     * Makes a published agenda version the one in force, once, unless a later
     * version is already known (redelivered or out-of-order events leave the
     * newer one). A committee not seen yet gets a document that reads as
     * unknown until its installation arrives.
     */
    agendaPublished(
      eventId: string,
      data: {
        id: string;
        version: number;
        publishedAt: string;
        items: AgendaItemView[];
      },
    ): Promise<boolean> {
      return applyOnce(
        collection,
        {
          _id: data.id,
          $or: [
            { agenda: { $exists: false } },
            { 'agenda.version': { $lt: data.version } },
          ],
        },
        {
          $set: {
            agenda: {
              version: data.version,
              publishedAt: new Date(data.publishedAt),
              items: data.items,
            },
          },
        },
        eventId,
        // A newer version stored: the filter hides the document and the
        // upsert's insert hits its _id, which applyOnce reads as a no-op.
        { upsert: true },
      );
    },

    /** Replaces the member organizations (the event carries the full list). */
    membersChanged(
      eventId: string,
      data: { id: string; memberOrganizationIds: string[] },
    ): Promise<boolean> {
      return applyOnce(
        collection,
        { _id: data.id },
        { $set: { memberOrganizationIds: data.memberOrganizationIds } },
        eventId,
        { upsert: true },
      );
    },
  };
}

export type CommitteeStore = ReturnType<typeof createCommitteeStore>;
