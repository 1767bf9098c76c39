import { Schema, type Connection, type FilterQuery } from 'mongoose';
import { type EventEnvelope, type OutboxWriter } from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import {
  facilityStates,
  type CertifyingBody,
  type CertifyingBodyKind,
} from '../domain/certifying-body';

export interface CertifyingBodyDoc extends Omit<CertifyingBody, 'id'> {
  _id: string;
  /** Distinct facility states, denormalised for the "where can I get certified?" filter. */
  states: string[];
}

const bodySchema = new Schema<CertifyingBodyDoc>(
  {
    _id: { type: String, required: true },
    // An organization acts as at most one certifying body.
    organizationId: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    kind: { type: String, required: true, index: true },
    facilities: { type: [{ _id: false, state: String, city: String }] },
    states: { type: [String], index: true },
    fees: {
      type: [{ _id: false, standardId: String, amountCentavos: Number }],
    },
    staff: {
      type: [{ _id: false, subject: String, name: String, roles: [String] }],
    },
    registeredAt: { type: Date, required: true },
    revision: { type: Number, required: true },
  },
  { versionKey: false },
);

function toBody(doc: CertifyingBodyDoc): CertifyingBody {
  return {
    id: doc._id,
    organizationId: doc.organizationId,
    name: doc.name,
    kind: doc.kind,
    facilities: doc.facilities.map(({ state, city }) => ({ state, city })),
    fees: doc.fees.map(({ standardId, amountCentavos }) => ({
      standardId,
      amountCentavos,
    })),
    staff: doc.staff.map(({ subject, name, roles }) => ({
      subject,
      name,
      roles: [...roles],
    })),
    registeredAt: doc.registeredAt,
    revision: doc.revision,
  };
}

const stateOf = (body: CertifyingBody) => ({
  facilities: body.facilities,
  states: facilityStates(body),
  fees: body.fees,
  staff: body.staff,
});

/** Certifying bodies: facilities, fees and staff in one document each. */
export function createCertifyingBodyStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<CertifyingBodyDoc>(
    'CertifyingBody',
    bodySchema,
    'certifying_bodies',
  );

  return {
    model,

    async insert(body: CertifyingBody, events: EventEnvelope[]): Promise<void> {
      const { id, ...fields } = body;
      await outbox.insert(
        model.collection,
        { _id: id, ...fields, states: facilityStates(body) },
        events,
        () =>
          new ConflictError(
            'CERTIFYING_BODY_EXISTS',
            `Organization ${body.organizationId} is already a certifying body`,
            'input.organizationId',
          ),
      );
    },

    /**
     * Writes the changed staff, facilities and fees with their events, only if
     * nobody changed the body since it was read (revision check).
     *
     * @throws ConflictError CONCURRENT_MODIFICATION when it changed meanwhile
     */
    async update(
      body: CertifyingBody,
      events: EventEnvelope[],
    ): Promise<CertifyingBody> {
      const result = await outbox.update(
        model.collection,
        { _id: body.id, revision: body.revision },
        { $set: stateOf(body), $inc: { revision: 1 } },
        events,
      );
      if (result.matchedCount === 0) {
        throw new ConflictError(
          'CONCURRENT_MODIFICATION',
          'The certifying body changed meanwhile; read it again and retry',
        );
      }
      return { ...body, revision: body.revision + 1 };
    },

    async findByIds(ids: readonly string[]): Promise<CertifyingBody[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<CertifyingBodyDoc[]>();
      return docs.map(toBody);
    },

    async findByOrganizationIds(
      organizationIds: readonly string[],
    ): Promise<CertifyingBody[]> {
      const docs = await model
        .find({ organizationId: { $in: organizationIds } })
        .lean<CertifyingBodyDoc[]>();
      return docs.map(toBody);
    },

    /** Bodies among `ids` with a facility in `state` and of `kind` (when given). */
    async findFiltered(
      ids: readonly string[],
      filter: { state?: string | null; kind?: CertifyingBodyKind | null },
    ): Promise<CertifyingBody[]> {
      const query: FilterQuery<CertifyingBodyDoc> = { _id: { $in: ids } };
      if (filter.state) query.states = filter.state;
      if (filter.kind) query.kind = filter.kind;
      const docs = await model
        .find(query)
        .sort({ name: 1 })
        .lean<CertifyingBodyDoc[]>();
      return docs.map(toBody);
    },
  };
}

export type CertifyingBodyStore = ReturnType<typeof createCertifyingBodyStore>;
