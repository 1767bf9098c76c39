import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import { applyOnce } from '@conecta/events';
import type { StandardStatus, StandardView } from '../domain/nomination';

/** A standard as the standards service's events describe it (a read model). */
export interface StandardViewDoc {
  _id: string;
  code: string;
  version: number;
  committeeId: string;
  sectorId: string;
  status: StandardStatus;
  statusChangedAt: Date;
  appliedEventIds?: string[];
}

const standardViewSchema = new Schema<StandardViewDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    version: { type: Number, required: true },
    committeeId: { type: String, required: true },
    sectorId: { type: String, required: true },
    status: { type: String, required: true },
    statusChangedAt: { type: Date, required: true },
    appliedEventIds: { type: [String], select: false },
  },
  { versionKey: false },
);

/** What a standards lifecycle event says about a standard. */
export interface StandardFacts {
  id: string;
  code: string;
  version: number;
  committeeId: string;
  sectorId: string;
  status: StandardStatus;
  statusChangedAt: Date;
}

function toView(doc: StandardViewDoc): StandardView {
  return {
    id: doc._id,
    code: doc.code,
    version: doc.version,
    committeeId: doc.committeeId,
    sectorId: doc.sectorId,
    status: doc.status,
  };
}

/** The local projection of standards (from `conecta.standards.events`). */
export function createStandardViewStore(connection: Connection) {
  const model = connection.model<StandardViewDoc>(
    'StandardView',
    standardViewSchema,
    'standard_views',
  );

  return {
    model,

    /**
     * Records a standard's status from event `eventId`, once: the effect and the
     * "applied" mark are one single-document upsert (applyOnce).
     *
     * @returns false when this event was already applied
     */
    apply(eventId: string, facts: StandardFacts): Promise<boolean> {
      const { id, ...fields } = facts;
      return applyOnce(
        // The driver types _id as ObjectId by default; our ids are UUID strings.
        model.collection as unknown as Collection<StandardViewDoc>,
        { _id: id },
        { $set: fields },
        eventId,
        { upsert: true },
      );
    },

    async findById(id: string): Promise<StandardView | null> {
      const doc = await model.findById(id).lean<StandardViewDoc>();
      return doc ? toView(doc) : null;
    },
  };
}

export type StandardViewStore = ReturnType<typeof createStandardViewStore>;
