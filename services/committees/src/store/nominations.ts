import { Schema, type Connection } from 'mongoose';
import {
  isDuplicateKeyError,
  type EventEnvelope,
  type OutboxWriter,
} from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import type { Nomination } from '../domain/nomination';

export interface NominationDoc {
  _id: string;
  committeeId: string;
  standardId: string;
  organizationId: string;
  sequence: number;
  nominatedAt: Date;
}

const nominationSchema = new Schema<NominationDoc>(
  {
    _id: { type: String, required: true },
    committeeId: { type: String, required: true, index: true },
    standardId: { type: String, required: true },
    organizationId: { type: String, required: true },
    sequence: { type: Number, required: true },
    nominatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// An organization is nominated at most once per standard.
nominationSchema.index({ standardId: 1, organizationId: 1 }, { unique: true });
// Two concurrent nominations of one standard cannot take the same position, so
// nominationCount in the events is exact (the loser retries with the next one).
nominationSchema.index({ standardId: 1, sequence: 1 }, { unique: true });

function toNomination(doc: NominationDoc): Nomination {
  return {
    id: doc._id,
    committeeId: doc.committeeId,
    standardId: doc.standardId,
    organizationId: doc.organizationId,
    sequence: doc.sequence,
    nominatedAt: doc.nominatedAt,
  };
}

// Concurrent nominations of one standard are rare (one committee, a few people):
// a handful of retries on a taken sequence is plenty.
const MAX_SEQUENCE_ATTEMPTS = 5;

/** Nominations in MongoDB, one document each (its CertifierNominated event inside). */
export function createNominationStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<NominationDoc>(
    'Nomination',
    nominationSchema,
    'nominations',
  );

  const duplicate = () =>
    new ConflictError(
      'NOMINATION_DUPLICATE',
      'This organization is already nominated for this standard',
      'input.organizationId',
    );

  return {
    model,

    /**
     * Inserts the next nomination of `standardId` and its events in one document
     * write. `build(sequence)` makes the nomination and its events for position
     * `sequence` (the count after it); a taken position is retried with the
     * next, a taken organization is CONFLICT `NOMINATION_DUPLICATE`.
     */
    async insertNext(
      standardId: string,
      organizationId: string,
      build: (sequence: number) => {
        nomination: Nomination;
        events: EventEnvelope[];
      },
    ): Promise<Nomination> {
      for (let attempt = 1; ; attempt += 1) {
        if (await model.exists({ standardId, organizationId })) {
          throw duplicate();
        }
        const sequence = (await model.countDocuments({ standardId })) + 1;
        const { nomination, events } = build(sequence);
        const { id, ...fields } = nomination;
        try {
          await outbox.insert(model.collection, { _id: id, ...fields }, events);
          return nomination;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          if (await model.exists({ standardId, organizationId })) {
            throw duplicate();
          }
          if (attempt >= MAX_SEQUENCE_ATTEMPTS) throw error;
        }
      }
    },

    /** Every nomination of these standards, oldest first, in one query. */
    async findByStandardIds(ids: readonly string[]): Promise<Nomination[]> {
      const docs = await model
        .find({ standardId: { $in: ids } })
        .sort({ _id: 1 })
        .lean<NominationDoc[]>();
      return docs.map(toNomination);
    },

    /** Every nomination made by these committees, oldest first, in one query. */
    async findByCommitteeIds(ids: readonly string[]): Promise<Nomination[]> {
      const docs = await model
        .find({ committeeId: { $in: ids } })
        .sort({ _id: 1 })
        .lean<NominationDoc[]>();
      return docs.map(toNomination);
    },
  };
}

export type NominationStore = ReturnType<typeof createNominationStore>;
