import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError } from '@conecta/events';

export interface ProcessedDoc {
  _id: string;
  type: string;
  processedAt: Date;
}

const processedSchema = new Schema<ProcessedDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    processedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

/**
 * The domain events whose deliveries were all written, by id. Marked after
 * the deliveries: a crash in between redelivers the event, and the
 * deliveries' unique key (subscription × event) keeps it from doubling any.
 */
export function createProcessedEventStore(connection: Connection) {
  const model = connection.model<ProcessedDoc>(
    'ProcessedEvent',
    processedSchema,
    'processed_events',
  );
  const collection = model.collection as unknown as Collection<ProcessedDoc>;
  return {
    model,
    async seen(eventId: string): Promise<boolean> {
      return (await collection.findOne({ _id: eventId })) !== null;
    },
    async mark(eventId: string, type: string, now: Date): Promise<void> {
      try {
        await collection.insertOne({
          _id: eventId,
          type,
          processedAt: now,
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    },
  };
}

export type ProcessedEventStore = ReturnType<typeof createProcessedEventStore>;
