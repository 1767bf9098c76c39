import type { Collection, Document } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import { CHANGE_STAMP, changeStamp, createMirror } from '@conecta/service-kit';
import { type EventEnvelope, type OutboxWriter } from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import { facilityStates, type CertifyingBody } from '../domain/certifying-body';

export interface CertifyingBodyDoc extends Omit<CertifyingBody, 'id'> {
  _id: string;
  /** Distinct facility states, denormalised for the "where can I get certified?" filter. */
  states: string[];
  /** The last write's change stamp (the mirror reads what changed by it). */
  touchedAt?: number;
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
    // Every write's change stamp (CHANGE_STAMP): the mirror reads by it.
    touchedAt: { type: Number, index: true },
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

  // Every body in this process's memory, caught up before each read
  // (service-kit's createMirror): each one holds its fee schedule (21 KB at
  // scale 100), and the store decodes a whole document whatever the
  // projection, so reading a standard's bodies on every verification and
  // offer grew with the registry (README: Decisions).
  const mirror = createMirror<CertifyingBody>({
    collection: model.collection as unknown as Collection<Document>,
    toValue: (doc) => toBody(doc as CertifyingBodyDoc),
  });

  return {
    model,
    mirror,

    async insert(body: CertifyingBody, events: EventEnvelope[]): Promise<void> {
      const { id, ...fields } = body;
      await outbox.insert(
        model.collection,
        {
          _id: id,
          ...fields,
          states: facilityStates(body),
          [CHANGE_STAMP]: changeStamp(),
        },
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
        {
          $set: { ...stateOf(body), [CHANGE_STAMP]: changeStamp() },
          $inc: { revision: 1 },
        },
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

    /** These bodies as the mirror holds them (what queries read; commands read the store). */
    async mirrored(ids: readonly string[]): Promise<CertifyingBody[]> {
      const bodies = await mirror.current();
      return ids.flatMap((id) => bodies.get(id) ?? []);
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
  };
}

export type CertifyingBodyStore = ReturnType<typeof createCertifyingBodyStore>;
