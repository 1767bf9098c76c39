import { Schema, type Connection } from 'mongoose';
import type { PersonalDataRead } from '../domain/access-log';

export interface PersonalDataReadDoc extends Omit<PersonalDataRead, 'id'> {
  _id: string;
}

const readSchema = new Schema<PersonalDataReadDoc>(
  {
    // UUID v7: creation order, so pages go by _id.
    _id: { type: String, required: true },
    personId: { type: String, required: true, index: true },
    readerSubject: { type: String, required: true },
    readerOrganizationId: { type: String, default: null },
    readerRole: { type: String, required: true },
    certifyingBodyId: { type: String, default: null },
    fields: { type: [String], required: true },
    operationName: { type: String, default: null },
    rootField: { type: String, required: true },
    requestId: { type: String, required: true },
    readAt: { type: Date, required: true },
  },
  { versionKey: false },
);

function toRead(doc: PersonalDataReadDoc): PersonalDataRead {
  const { _id, ...fields } = doc;
  return {
    id: _id,
    ...fields,
    readerOrganizationId: fields.readerOrganizationId ?? null,
    certifyingBodyId: fields.certifyingBodyId ?? null,
    operationName: fields.operationName ?? null,
  };
}

/** The log of staff and admin reads of personal data: append-only. */
export function createAccessLogStore(connection: Connection) {
  const model = connection.model<PersonalDataReadDoc>(
    'PersonalDataRead',
    readSchema,
    'personal_data_reads',
  );
  return {
    model,

    /** Appends a request's entries in one unordered bulk insert. */
    async insertMany(reads: readonly PersonalDataRead[]): Promise<void> {
      if (reads.length === 0) return;
      await model.collection.insertMany(
        reads.map(({ id, ...fields }) => ({ _id: id, ...fields }) as never),
        { ordered: false },
      );
    },

    /** One person's entries, newest first, `limit` of them older than `beforeId` (all when null). */
    async page(
      personId: string,
      limit: number,
      beforeId: string | null,
    ): Promise<PersonalDataRead[]> {
      const docs = await model
        .find(beforeId ? { personId, _id: { $lt: beforeId } } : { personId })
        .sort({ _id: -1 })
        .limit(limit)
        .lean<PersonalDataReadDoc[]>();
      return docs.map(toRead);
    },
  };
}

export type AccessLogStore = ReturnType<typeof createAccessLogStore>;
