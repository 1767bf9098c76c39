import type { Connection } from 'mongoose';
import { readModel } from './collections';

// E11000: the event is already in the ledger.
const DUPLICATE_KEY = 11_000;

/**
 * Every event whose effects were fully applied, by id. `applyOnce` remembers
 * the last 1 000 events per document; a busy bucket (a YEAR of certificates)
 * sees more, so an old redelivery could slip past it. The ledger closes that:
 * an event found here is skipped whole. It is written after the effects, and a
 * crash in between is covered by applyOnce's recent ids.
 */
export function createLedger(connection: Connection) {
  const { model, collection } = readModel(
    connection,
    'AppliedEvent',
    'applied_events',
  );
  return {
    model,
    async seen(eventId: string): Promise<boolean> {
      return (
        (await collection.countDocuments({ _id: eventId }, { limit: 1 })) > 0
      );
    },
    async record(eventId: string, type: string): Promise<void> {
      try {
        await collection.insertOne({ _id: eventId, type });
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
