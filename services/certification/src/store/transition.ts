import type { Collection, Document } from 'mongodb';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';

/**
 * Writes a status transition with its events only if the document is still
 * in status `from` (so two callers acting at once cannot both move it): one
 * conditional outbox write. Shared by the stores whose aggregates move by a
 * state machine (accreditations, candidacies, evaluation procedures).
 *
 * @param what the aggregate's name in the refusal ("accreditation")
 * @throws ConflictError CONCURRENT_MODIFICATION when it changed meanwhile
 */
export async function writeTransition(
  outbox: OutboxWriter,
  collection: Collection<Document>,
  {
    id,
    from,
    set,
    events,
    what,
  }: {
    id: string;
    from: string;
    set: Record<string, unknown>;
    events: readonly EventEnvelope[];
    what: string;
  },
): Promise<void> {
  const result = await outbox.update<{ _id: string; status: string }>(
    collection,
    { _id: id, status: from },
    { $set: set },
    events,
  );
  if (result.matchedCount === 0) {
    throw new ConflictError(
      'CONCURRENT_MODIFICATION',
      `The ${what} changed meanwhile; read it again and retry`,
    );
  }
}
