import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';

/** A read-model document for the driver: a string `_id`, any other fields. */
export interface ReadModelDocument extends Document {
  _id: string;
}

/** A read-model document: string ids (UUIDs or composite keys), any fields. */
export type ReadDoc = Record<string, unknown> & { _id: string };

/**
 * A read model's mongoose model and its driver collection. Read models are
 * written only by the consumer, through `applyOnce` or absolute `$set`s.
 */
export function readModel(
  connection: Connection,
  name: string,
  collection: string,
  indexes: Array<Record<string, 1>> = [],
): { model: Model<ReadDoc>; collection: Collection<ReadModelDocument> } {
  const schema = new Schema<ReadDoc>(
    {
      _id: { type: String, required: true },
      appliedEventIds: { type: [String], select: false },
    },
    { versionKey: false, strict: false },
  );
  for (const fields of indexes) schema.index(fields);
  const model = connection.model<ReadDoc>(name, schema, collection);
  // The driver types _id as ObjectId by default; our ids are strings.
  return {
    model,
    collection: model.collection as unknown as Collection<ReadModelDocument>,
  };
}
