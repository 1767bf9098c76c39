import { Schema, type Connection } from 'mongoose';

/**
 * What registerPerson gives a certifier instead of the person: a fresh random
 * id per call, bound to the caller's organization, that proposeCandidacy turns
 * into a candidacy (README: Decisions, "registerPerson reveals nothing").
 */
export interface PersonReference {
  id: string;
  personId: string;
  /** The organization of the caller it was given to; only its staff may use it. */
  organizationId: string | null;
  issuedTo: string;
  issuedAt: Date;
}

export interface PersonReferenceDoc extends Omit<PersonReference, 'id'> {
  _id: string;
}

const referenceSchema = new Schema<PersonReferenceDoc>(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true },
    organizationId: { type: String, default: null },
    issuedTo: { type: String, required: true },
    issuedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

/** Person references: written once, read by id. They carry no events. */
export function createPersonReferenceStore(connection: Connection) {
  const model = connection.model<PersonReferenceDoc>(
    'PersonReference',
    referenceSchema,
    'person_references',
  );
  return {
    model,

    async insert(reference: PersonReference): Promise<void> {
      const { id, ...fields } = reference;
      await model.collection.insertOne({ _id: id, ...fields } as never);
    },

    async findById(id: string): Promise<PersonReference | null> {
      const doc = await model.findOne({ _id: id }).lean<PersonReferenceDoc>();
      if (!doc) return null;
      const { _id, ...fields } = doc;
      return {
        id: _id,
        ...fields,
        organizationId: fields.organizationId ?? null,
      };
    },
  };
}

export type PersonReferenceStore = ReturnType<
  typeof createPersonReferenceStore
>;
