import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import type { StateCode } from '@conecta/mexico';
import type { WebhookEventKind } from '../domain/notification';
import type {
  WebhookFilters,
  WebhookSubscription,
} from '../domain/subscription';

export interface SubscriptionDoc {
  _id: string;
  organizationId: string;
  url: string;
  description: string | null;
  kinds: WebhookEventKind[];
  filters: WebhookFilters;
  seesAllDemand: boolean;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  secretRotatedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const subscriptionSchema = new Schema<SubscriptionDoc>(
  {
    _id: { type: String, required: true },
    organizationId: { type: String, required: true, index: true },
    url: { type: String, required: true },
    description: { type: String, default: null },
    // Matching reads subscriptions by kind.
    kinds: { type: [String], required: true, index: true },
    filters: {
      states: { type: [String], default: [] },
      sectorIds: { type: [String], default: [] },
      standardIds: { type: [String], default: [] },
    },
    seesAllDemand: { type: Boolean, required: true },
    secret: { type: String, required: true },
    previousSecret: { type: String, default: null },
    previousSecretUntil: { type: Date, default: null },
    secretRotatedAt: { type: Date, default: null },
    createdBy: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

function toSubscription(doc: SubscriptionDoc): WebhookSubscription {
  const { _id, filters, ...rest } = doc;
  return {
    id: _id,
    ...rest,
    filters: {
      states: [...(filters?.states ?? [])] as StateCode[],
      sectorIds: [...(filters?.sectorIds ?? [])],
      standardIds: [...(filters?.standardIds ?? [])],
    },
  };
}

function toDoc(subscription: WebhookSubscription): SubscriptionDoc {
  const { id, ...rest } = subscription;
  return { _id: id, ...rest };
}

/** Partners' webhook subscriptions. */
export function createSubscriptionStore(connection: Connection) {
  const model = connection.model<SubscriptionDoc>(
    'WebhookSubscription',
    subscriptionSchema,
    'webhook_subscriptions',
  );
  const collection = model.collection as unknown as Collection<SubscriptionDoc>;
  return {
    model,

    async insert(subscription: WebhookSubscription): Promise<void> {
      await collection.insertOne(toDoc(subscription));
    },

    /**
     * Replaces the subscription's fields, if it was not changed since
     * `expected` was read (its `updatedAt`); false otherwise.
     */
    async save(
      subscription: WebhookSubscription,
      expected: Date,
    ): Promise<boolean> {
      const { _id, ...fields } = toDoc(subscription);
      const { matchedCount } = await collection.updateOne(
        { _id, updatedAt: expected },
        { $set: fields },
      );
      return matchedCount === 1;
    },

    async delete(id: string): Promise<boolean> {
      const { deletedCount } = await collection.deleteOne({ _id: id });
      return deletedCount === 1;
    },

    async findById(id: string): Promise<WebhookSubscription | null> {
      const doc = await collection.findOne({ _id: id });
      return doc ? toSubscription(doc) : null;
    },

    /** Oldest first; every organization's when `organizationId` is undefined. */
    async list(organizationId?: string): Promise<WebhookSubscription[]> {
      const docs = await collection
        .find(organizationId === undefined ? {} : { organizationId })
        .sort({ _id: 1 })
        .toArray();
      return docs.map(toSubscription);
    },

    /** The subscriptions to a kind (the matching itself is domain/subscription's). */
    async subscribedTo(kind: WebhookEventKind): Promise<WebhookSubscription[]> {
      const docs = await collection.find({ kinds: kind }).toArray();
      return docs.map(toSubscription);
    },
  };
}

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;
