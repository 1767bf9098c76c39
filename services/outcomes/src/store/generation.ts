import type { Connection } from 'mongoose';
import { readModel } from './collections';

const ID = 'consumer';
const LEASE_PREFIX = 'lease:';

/** Who feeds the read models: the service, or the rebuild command. */
export type FeederKind = 'service' | 'rebuild';

/** A generation of the read models and the collection suffix it is stored under. */
export interface GenerationSlot {
  generation: number;
  /** `''` for generation 0 (and read models built before generations had collections of their own), `_g<n>` after. */
  suffix: string;
}

/** Which generation queries read, and which one a rebuild is filling (if any). */
export interface GenerationPointer {
  serving: GenerationSlot;
  building: GenerationSlot | null;
}

/** Where generation `n` is stored. */
export const slotFor = (generation: number): GenerationSlot => ({
  generation,
  suffix: generation === 0 ? '' : `_g${generation}`,
});

/** A live feeder's last heartbeat. */
export interface FeederLease {
  owner: string;
  kind: FeederKind;
  renewedAt: Date;
}

/**
 * Which generation of the read models queries read (the pointer), which one a
 * rebuild is filling, and who is feeding them. A rebuild starts a new
 * generation: collections of its own and a new consumer group, which reads
 * every topic from the beginning; once it has caught up, `swap` switches the
 * pointer in one single-document update. Persisted so a restart resumes both
 * groups.
 * Each running feeder (a service instance, the rebuild command) renews its own
 * lease document, so the rebuild command can refuse to drop read models that a
 * running service is writing.
 */
export function createGenerationStore(connection: Connection) {
  const { model, collection } = readModel(
    connection,
    'ConsumerGeneration',
    'consumer_generation',
    '',
  );
  async function pointer(): Promise<GenerationPointer> {
    const doc = await collection.findOne({ _id: ID });
    const generation = typeof doc?.generation === 'number' ? doc.generation : 0;
    const building = doc?.building as GenerationSlot | null | undefined;
    return {
      // Before generations had collections of their own every generation was
      // stored unsuffixed: a pointer without a suffix means ''.
      serving: {
        generation,
        suffix: typeof doc?.suffix === 'string' ? doc.suffix : '',
      },
      building: building ?? null,
    };
  }
  return {
    model,
    /** The generation queries read. */
    async current(): Promise<number> {
      return (await pointer()).serving.generation;
    },
    pointer,
    /** Records that a rebuild fills `slot` (the serving generation is unchanged). */
    async startBuilding(slot: GenerationSlot): Promise<void> {
      await collection.updateOne(
        { _id: ID },
        { $set: { building: slot } },
        { upsert: true },
      );
    },
    /**
     * Makes `slot`, the generation being built, the one queries read: one
     * single-document update. False if another rebuild replaced it meanwhile.
     */
    async swap(slot: GenerationSlot): Promise<boolean> {
      const { matchedCount } = await collection.updateOne(
        { _id: ID, 'building.generation': slot.generation },
        {
          $set: {
            generation: slot.generation,
            suffix: slot.suffix,
            building: null,
          },
        },
      );
      return matchedCount > 0;
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
