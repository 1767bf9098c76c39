import type { Connection } from 'mongoose';
import { readModel } from './collections';

const ID = 'consumer';
const LEASE_PREFIX = 'lease:';

/** Who feeds the read models: the service, or the rebuild command. */
export type FeederKind = 'service' | 'rebuild';

/** A live feeder's last heartbeat. */
export interface FeederLease {
  owner: string;
  kind: FeederKind;
  renewedAt: Date;
}

/**
 * Which consumer generation feeds the read models, and who is feeding them. A
 * rebuild starts a new generation: a new consumer group, which reads every
 * topic from the beginning. Persisted so a restart resumes the current group.
 * Each running feeder (a service instance, the rebuild command) renews its own
 * lease document, so the rebuild command can refuse to drop read models that a
 * running service is writing.
 */
export function createGenerationStore(connection: Connection) {
  const { model, collection } = readModel(
    connection,
    'ConsumerGeneration',
    'consumer_generation',
  );
  return {
    model,
    async current(): Promise<number> {
      const doc = await collection.findOne({ _id: ID });
      return typeof doc?.generation === 'number' ? doc.generation : 0;
    },
    async set(generation: number): Promise<void> {
      await collection.updateOne(
        { _id: ID },
        { $set: { generation } },
        { upsert: true },
      );
    },
    /** Records that `owner` is feeding the read models now. */
    async renewLease(owner: string, kind: FeederKind, at: Date): Promise<void> {
      await collection.updateOne(
        { _id: `${LEASE_PREFIX}${owner}` },
        { $set: { owner, kind, renewedAt: at } },
        { upsert: true },
      );
    },
    async releaseLease(owner: string): Promise<void> {
      await collection.deleteOne({ _id: `${LEASE_PREFIX}${owner}` });
    },
    /** Leases renewed after `since`, i.e. feeders still alive. */
    async liveLeases(since: Date): Promise<FeederLease[]> {
      const docs = await collection
        // Only lease documents have renewedAt.
        .find({ renewedAt: { $gt: since } })
        .toArray();
      return docs.map((doc) => ({
        owner: String(doc.owner),
        kind: doc.kind === 'rebuild' ? 'rebuild' : 'service',
        renewedAt: doc.renewedAt as Date,
      }));
    },
  };
}
