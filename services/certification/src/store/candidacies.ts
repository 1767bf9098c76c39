import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import {
  candidacyKey,
  relationKey,
  type Candidacy,
  type CandidacyStatus,
} from '../domain/candidacy';
import { writeTransition } from './transition';

export interface CandidacyDoc extends Omit<Candidacy, 'id'> {
  _id: string;
  /** `${bodyId}:${personId}:${standardId}`: one candidacy per body, person and standard. */
  key: string;
  /** `${bodyId}:${personId}`: the relationship a personal-data read asks about (equality / `$in`). */
  relation: string;
}

const candidacySchema = new Schema<CandidacyDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true, unique: true },
    relation: { type: String, required: true, index: true },
    personId: { type: String, required: true, index: true },
    certifyingBodyId: { type: String, required: true, index: true },
    standardId: { type: String, required: true },
    status: { type: String, required: true },
    proposedBy: { type: String, required: true },
    proposedAt: { type: Date, required: true },
    openedBy: { type: String, default: null },
    acceptedBy: { type: String, default: null },
    acceptedAt: { type: Date, default: null },
    declinedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

function toCandidacy(doc: CandidacyDoc): Candidacy {
  return {
    id: doc._id,
    personId: doc.personId,
    certifyingBodyId: doc.certifyingBodyId,
    standardId: doc.standardId,
    status: doc.status,
    proposedBy: doc.proposedBy,
    proposedAt: doc.proposedAt,
    openedBy: doc.openedBy ?? null,
    acceptedBy: doc.acceptedBy ?? null,
    acceptedAt: doc.acceptedAt ?? null,
    declinedAt: doc.declinedAt ?? null,
  };
}

// A body's or a person's candidacies are few (one per standard and body);
// the lists are bounded all the same.
const MAX_LISTED = 200;

/** Candidacies: the auditable act behind a body's relationship with a person. */
export function createCandidacyStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<CandidacyDoc>(
    'Candidacy',
    candidacySchema,
    'candidacies',
  );

  return {
    model,

    /** @throws ConflictError CANDIDACY_EXISTS when the body already has one for the person and standard */
    async insert(candidacy: Candidacy, events: EventEnvelope[]): Promise<void> {
      const { id, ...fields } = candidacy;
      await outbox.insert(
        model.collection,
        {
          _id: id,
          key: candidacyKey(candidacy),
          relation: relationKey(candidacy.certifyingBodyId, candidacy.personId),
          ...fields,
        },
        events,
        () =>
          new ConflictError(
            'CANDIDACY_EXISTS',
            'The body already has a candidacy of this person for this standard',
            'input',
          ),
      );
    },

    /**
     * Writes a transition with its events only if the status is still `from`.
     *
     * @throws ConflictError CONCURRENT_MODIFICATION otherwise
     */
    async transition(
      next: Candidacy,
      from: CandidacyStatus,
      events: EventEnvelope[],
    ): Promise<void> {
      await writeTransition(outbox, model.collection, {
        id: next.id,
        from,
        set: {
          status: next.status,
          openedBy: next.openedBy,
          acceptedBy: next.acceptedBy,
          acceptedAt: next.acceptedAt,
          declinedAt: next.declinedAt,
        },
        events,
        what: 'candidacy',
      });
    },

    async findByIds(ids: readonly string[]): Promise<Candidacy[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<CandidacyDoc[]>();
      return docs.map(toCandidacy);
    },

    /** The candidacy of a body, person and standard (one equality on the unique key). */
    async findFor(target: {
      certifyingBodyId: string;
      personId: string;
      standardId: string;
    }): Promise<Candidacy | null> {
      const doc = await model
        .findOne({ key: candidacyKey(target) })
        .lean<CandidacyDoc>();
      return doc ? toCandidacy(doc) : null;
    },

    /** The ACCEPTED candidacies of the (body, person) relations among `relations`, in one query. */
    async findAcceptedForRelations(
      relations: readonly string[],
    ): Promise<Candidacy[]> {
      const docs = await model
        .find({ relation: { $in: relations }, status: 'ACCEPTED' })
        .lean<CandidacyDoc[]>();
      return docs.map(toCandidacy);
    },

    /** A body's or a person's candidacies, newest first (at most 200). */
    async list(
      filter: { certifyingBodyId: string } | { personId: string },
    ): Promise<Candidacy[]> {
      const docs = await model
        .find(filter)
        .sort({ _id: -1 })
        .limit(MAX_LISTED)
        .lean<CandidacyDoc[]>();
      return docs.map(toCandidacy);
    },
  };
}

export type CandidacyStore = ReturnType<typeof createCandidacyStore>;
