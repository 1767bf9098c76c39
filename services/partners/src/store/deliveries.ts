import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError } from '@conecta/events';
import type {
  AttemptResult,
  Delivery,
  DeliveryStatus,
} from '../domain/delivery';

export interface DeliveryDoc extends Omit<Delivery, 'id'> {
  _id: string;
  /** `<subscriptionId>:<eventId>`, unique: a redelivered event never doubles a delivery. */
  dedupeKey: string;
  /** The worker holding it, and until when (epoch 0: free). A crashed worker's lease runs out. */
  leaseOwner: string | null;
  leaseUntil: Date;
}

const FREE = new Date(0);

const attemptSchema = new Schema(
  {
    at: { type: Date, required: true },
    outcome: { type: String, required: true },
    httpStatus: { type: Number, default: null },
    error: { type: String, default: null },
    durationMs: { type: Number, required: true },
  },
  { _id: false },
);

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    dedupeKey: { type: String, required: true, unique: true },
    subscriptionId: { type: String, required: true, index: true },
    organizationId: { type: String, required: true },
    eventId: { type: String, required: true },
    type: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, required: true, index: true },
    nextAttemptAt: { type: Date, default: null },
    firstAttemptAt: { type: Date, default: null },
    attempts: { type: [attemptSchema], default: [] },
    deliveredAt: { type: Date, default: null },
    deadLetteredAt: { type: Date, default: null },
    replayCount: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, required: true },
  },
  { versionKey: false },
);

function toDelivery(doc: DeliveryDoc): Delivery {
  const {
    _id,
    dedupeKey: _key,
    leaseOwner: _owner,
    leaseUntil: _until,
    ...rest
  } = doc;
  return { id: _id, ...rest, attempts: [...(rest.attempts ?? [])] };
}

/** One page of a delivery log, newest first. */
export interface DeliveryPage {
  nodes: Delivery[];
  hasNextPage: boolean;
}

/** Deliveries and their logs; the worker's queue. */
export function createDeliveryStore(connection: Connection) {
  const model = connection.model<DeliveryDoc>(
    'WebhookDelivery',
    deliverySchema,
    'webhook_deliveries',
  );
  const collection = model.collection as unknown as Collection<DeliveryDoc>;
  return {
    model,

    /**
     * Inserts the deliveries; one whose subscription already has a delivery
     * of that event is left out (its unique key). Answers how many are new.
     */
    async insertNew(deliveries: readonly Delivery[]): Promise<number> {
      let inserted = 0;
      // One by one: a duplicate must not stop the others (and FerretDB's
      // unordered bulk inserts report duplicates unevenly).
      for (const delivery of deliveries) {
        const { id, ...rest } = delivery;
        try {
          await collection.insertOne({
            _id: id,
            ...rest,
            dedupeKey: `${delivery.subscriptionId}:${delivery.eventId}`,
            leaseOwner: null,
            leaseUntil: FREE,
          });
          inserted += 1;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
      return inserted;
    },

    async findById(id: string): Promise<Delivery | null> {
      const doc = await collection.findOne({ _id: id });
      return doc ? toDelivery(doc) : null;
    },

    /** A subscription's log, newest first, `first` after the delivery `after`. */
    async page(
      subscriptionId: string,
      {
        first,
        after,
        status,
      }: { first: number; after?: string; status?: DeliveryStatus },
    ): Promise<DeliveryPage> {
      const docs = await collection
        .find({
          subscriptionId,
          ...(status && { status }),
          ...(after && { _id: { $lt: after } }),
        })
        .sort({ _id: -1 })
        .limit(first + 1)
        .toArray();
      return {
        nodes: docs.slice(0, first).map((d) => toDelivery(d)),
        hasNextPage: docs.length > first,
      };
    },

    /**
     * Claims one due delivery for `owner` until `leaseUntil`: PENDING, due,
     * and not leased by a live worker. Null when none is due.
     */
    async claimDue(
      owner: string,
      now: Date,
      leaseUntil: Date,
    ): Promise<Delivery | null> {
      const doc = await collection.findOneAndUpdate(
        {
          status: 'PENDING',
          nextAttemptAt: { $lte: now },
          leaseUntil: { $lte: now },
        },
        { $set: { leaseOwner: owner, leaseUntil } },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
      );
      return doc ? toDelivery(doc) : null;
    },

    /**
     * Records an attempt and what follows it, if `owner` still holds the
     * lease; false when it lost it (another worker took the delivery over).
     */
    async recordAttempt(
      id: string,
      owner: string,
      result: AttemptResult,
    ): Promise<boolean> {
      const { attempt, ...state } = result;
      const { matchedCount } = await collection.updateOne(
        { _id: id, leaseOwner: owner },
        {
          $push: { attempts: attempt },
          $set: { ...state, leaseOwner: null, leaseUntil: FREE },
        },
      );
      return matchedCount === 1;
    },

    /** Gives back a lease without an attempt (its subscription is gone). */
    async release(id: string, owner: string): Promise<void> {
      await collection.updateOne(
        { _id: id, leaseOwner: owner },
        { $set: { leaseOwner: null, leaseUntil: FREE } },
      );
    },

    /** Applies a replay if the delivery is still in `from`; false if it changed meanwhile. */
    async replay(
      id: string,
      from: DeliveryStatus,
      changes: Partial<Delivery>,
    ): Promise<boolean> {
      const { matchedCount } = await collection.updateOne(
        { _id: id, status: from },
        { $set: changes },
      );
      return matchedCount === 1;
    },

    /** A subscription's dead-lettered deliveries. */
    async deadLettered(subscriptionId: string): Promise<Delivery[]> {
      const docs = await collection
        .find({ subscriptionId, status: 'DEAD_LETTERED' })
        .toArray();
      return docs.map((d) => toDelivery(d));
    },

    async deleteOfSubscription(subscriptionId: string): Promise<void> {
      await collection.deleteMany({ subscriptionId });
    },
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
