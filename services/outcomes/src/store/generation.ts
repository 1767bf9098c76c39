import type { Connection } from 'mongoose';
import { readModel } from './collections';

const ID = 'consumer';

/**
 * Which consumer generation feeds the read models. A rebuild starts a new
 * generation: a new consumer group, which reads every topic from the
 * beginning. Persisted so a restart resumes the current group.
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
  };
}
