import { Schema, type Connection } from 'mongoose';
import {
  isDuplicateKeyError,
  type EventEnvelope,
  type OutboxWriter,
} from '@conecta/events';
import type { Person } from '../domain/person';

export interface PersonDoc {
  _id: string;
  curp: string;
  givenNames: string;
  firstSurname: string;
  secondSurname: string | null;
  email: string | null;
  phone: string | null;
  registeredAt: Date;
}

const personSchema = new Schema<PersonDoc>(
  {
    _id: { type: String, required: true },
    // One person per CURP: the registry must never hold duplicates.
    curp: { type: String, required: true, unique: true },
    givenNames: { type: String, required: true },
    firstSurname: { type: String, required: true },
    secondSurname: { type: String, default: null },
    email: { type: String, default: null },
    phone: { type: String, default: null },
    registeredAt: { type: Date, required: true },
  },
  { versionKey: false },
);

function toPerson(doc: PersonDoc): Person {
  return {
    id: doc._id,
    curp: doc.curp,
    givenNames: doc.givenNames,
    firstSurname: doc.firstSurname,
    secondSurname: doc.secondSurname ?? null,
    email: doc.email ?? null,
    phone: doc.phone ?? null,
    registeredAt: doc.registeredAt,
  };
}

/** The registry of people. */
export function createPersonStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<PersonDoc>('Person', personSchema, 'people');

  return {
    model,

    async findByCurp(curp: string): Promise<Person | null> {
      const doc = await model.findOne({ curp }).lean<PersonDoc>();
      return doc ? toPerson(doc) : null;
    },

    /**
     * Inserts the person with its events, or returns the person already holding
     * the CURP (the unique index decides under concurrency: never a duplicate).
     */
    async insertOrGetExisting(
      person: Person,
      events: EventEnvelope[],
    ): Promise<{ person: Person; created: boolean }> {
      const { id, ...fields } = person;
      try {
        await outbox.insert(model.collection, { _id: id, ...fields }, events);
        return { person, created: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = await this.findByCurp(person.curp);
        if (!existing) throw error;
        return { person: existing, created: false };
      }
    },

    async findByIds(ids: readonly string[]): Promise<Person[]> {
      const docs = await model.find({ _id: { $in: ids } }).lean<PersonDoc[]>();
      return docs.map(toPerson);
    },

    /** The registered people among `curps`, in one query. */
    async findByCurps(curps: readonly string[]): Promise<Person[]> {
      const docs = await model
        .find({ curp: { $in: curps } })
        .lean<PersonDoc[]>();
      return docs.map(toPerson);
    },

    /**
     * Registers new people, each with its events, in one bulk write (historical
     * import). The unique CURP index still decides: a person someone registered
     * meanwhile is not inserted, and is returned so the caller uses that one.
     *
     * @returns the people already holding some of the CURPs, by CURP
     */
    async insertManyOrGetExisting(
      people: readonly { person: Person; events: EventEnvelope[] }[],
    ): Promise<Map<string, Person>> {
      const refused = await outbox.insertMany(
        model.collection,
        people.map(({ person: { id, ...fields }, events }) => ({
          doc: { _id: id, ...fields },
          events,
        })),
      );
      const curps = [...refused].map((i) => people[i]!.person.curp);
      const existing = curps.length > 0 ? await this.findByCurps(curps) : [];
      if (existing.length !== curps.length) {
        throw new Error(
          'A person was refused by a unique index other than CURP',
        );
      }
      return new Map(existing.map((p) => [p.curp, p]));
    },
  };
}

export type PersonStore = ReturnType<typeof createPersonStore>;
