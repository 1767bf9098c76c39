import { Schema, type Connection } from 'mongoose';
import { type EventEnvelope, type OutboxWriter } from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import {
  LEGACY_SCOPES,
  type Accreditation,
  type AccreditationScope,
  type AccreditationStatus,
} from '../domain/accreditation';
import { writeTransition } from './transition';

export interface AccreditationDoc extends Omit<Accreditation, 'id' | 'scopes'> {
  _id: string;
  /** Absent on accreditations stored before scopes: read as both (LEGACY_SCOPES). */
  scopes?: AccreditationScope[];
  /** `${certifyingBodyId}:${standardId}`: one accreditation per body and standard. */
  key: string;
}

const accreditationSchema = new Schema<AccreditationDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true, unique: true },
    certifyingBodyId: { type: String, required: true, index: true },
    organizationId: { type: String, required: true },
    standardId: { type: String, required: true, index: true },
    status: { type: String, required: true },
    scopes: { type: [String], default: undefined },
    requestedAt: { type: Date, required: true },
    activatedAt: { type: Date, default: null },
    reason: { type: String, default: null },
    changedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

function toAccreditation(doc: AccreditationDoc): Accreditation {
  return {
    id: doc._id,
    certifyingBodyId: doc.certifyingBodyId,
    organizationId: doc.organizationId,
    standardId: doc.standardId,
    status: doc.status,
    scopes: doc.scopes?.length ? doc.scopes : LEGACY_SCOPES,
    requestedAt: doc.requestedAt,
    activatedAt: doc.activatedAt ?? null,
    reason: doc.reason ?? null,
    changedAt: doc.changedAt,
  };
}

const keyOf = (bodyId: string, standardId: string) => `${bodyId}:${standardId}`;

/** Accreditations, one document per body and standard. */
export function createAccreditationStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<AccreditationDoc>(
    'Accreditation',
    accreditationSchema,
    'accreditations',
  );

  return {
    model,

    async insert(
      accreditation: Accreditation,
      events: EventEnvelope[],
    ): Promise<void> {
      const { id, scopes, ...fields } = accreditation;
      await outbox.insert(
        model.collection,
        {
          _id: id,
          scopes: [...scopes],
          key: keyOf(accreditation.certifyingBodyId, accreditation.standardId),
          ...fields,
        },
        events,
        () =>
          new ConflictError(
            'ACCREDITATION_EXISTS',
            'The body already has an accreditation for this standard',
          ),
      );
    },

    /**
     * Writes a transition with its events only if the status is still `from`
     * (so two admins acting at once cannot both transition it).
     *
     * @throws ConflictError CONCURRENT_MODIFICATION otherwise
     */
    async transition(
      next: Accreditation,
      from: AccreditationStatus,
      events: EventEnvelope[],
    ): Promise<void> {
      await writeTransition(outbox, model.collection, {
        id: next.id,
        from,
        set: {
          status: next.status,
          activatedAt: next.activatedAt,
          reason: next.reason,
          changedAt: next.changedAt,
        },
        events,
        what: 'accreditation',
      });
    },

    async findByIds(ids: readonly string[]): Promise<Accreditation[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<AccreditationDoc[]>();
      return docs.map(toAccreditation);
    },

    async findFor(
      certifyingBodyId: string,
      standardId: string,
    ): Promise<Accreditation | null> {
      const doc = await model
        .findOne({ key: keyOf(certifyingBodyId, standardId) })
        .lean<AccreditationDoc>();
      return doc ? toAccreditation(doc) : null;
    },

    /** The accreditations of the (body, standard) pairs among `pairs`, in one query. */
    async findForPairs(
      pairs: readonly { certifyingBodyId: string; standardId: string }[],
    ): Promise<Accreditation[]> {
      const docs = await model
        .find({
          key: {
            $in: pairs.map((p) => keyOf(p.certifyingBodyId, p.standardId)),
          },
        })
        .lean<AccreditationDoc[]>();
      return docs.map(toAccreditation);
    },

    /** Every accreditation of each body among `bodyIds`. */
    async findByBodyIds(bodyIds: readonly string[]): Promise<Accreditation[]> {
      const docs = await model
        .find({ certifyingBodyId: { $in: bodyIds } })
        .sort({ _id: 1 })
        .lean<AccreditationDoc[]>();
      return docs.map(toAccreditation);
    },

    /** ACTIVE accreditations for the standards among `standardIds`. */
    async findActiveForStandards(
      standardIds: readonly string[],
    ): Promise<Accreditation[]> {
      const docs = await model
        .find({ standardId: { $in: standardIds }, status: 'ACTIVE' })
        .lean<AccreditationDoc[]>();
      return docs.map(toAccreditation);
    },
  };
}

export type AccreditationStore = ReturnType<typeof createAccreditationStore>;
