import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import type { StandardSummary } from '../domain/notification';

export interface StandardDoc {
  _id: string;
  code: string;
  title: string | null;
  sectorId: string;
}

const standardSchema = new Schema<StandardDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    title: { type: String, default: null },
    sectorId: { type: String, required: true },
  },
  { versionKey: false },
);

/**
 * What partners knows of each standard, from standards' events: its code and
 * sector, so a certificate, demand or cohort event (which carry only the
 * standard's id) can be filtered by sector and show the code.
 */
export function createStandardStore(connection: Connection) {
  const model = connection.model<StandardDoc>(
    'Standard',
    standardSchema,
    'standards',
  );
  const collection = model.collection as unknown as Collection<StandardDoc>;
  return {
    model,

    /** Records what an event says of a standard: an absolute `$set`, so a redelivery changes nothing. */
    async remember(standard: StandardSummary): Promise<void> {
      await collection.updateOne(
        { _id: standard.id },
        {
          $set: {
            code: standard.code,
            sectorId: standard.sectorId,
            ...(standard.title !== undefined && { title: standard.title }),
          },
        },
        { upsert: true },
      );
    },

    async find(id: string): Promise<StandardSummary | undefined> {
      const doc = await collection.findOne({ _id: id });
      return doc
        ? {
            id: doc._id,
            code: doc.code,
            sectorId: doc.sectorId,
            ...(doc.title && { title: doc.title }),
          }
        : undefined;
    },
  };
}

export type StandardStore = ReturnType<typeof createStandardStore>;
