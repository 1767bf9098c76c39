import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import type { CouncilSeat, CouncilSeatHolder } from '../domain/council';

/** A council seat as stored: one document per seat, `_id` is the seat. */
type SeatDoc = Omit<CouncilSeatHolder, 'seat'> & { _id: CouncilSeat };

const seatSchema = new Schema<SeatDoc>(
  {
    _id: { type: String, required: true },
    holderId: { type: String, required: true },
    appointedAt: { type: Date, required: true },
    appointedBy: { type: String, required: true },
  },
  // Writes go through the driver (outbox helpers); mongoose reads.
  { versionKey: false, strict: false },
);

function toHolder({ _id, holderId, appointedAt, appointedBy }: SeatDoc) {
  return { seat: _id, holderId, appointedAt, appointedBy };
}

const changedConcurrently = () =>
  new ConflictError(
    'SEAT_CHANGED_CONCURRENTLY',
    'The seat was appointed by someone else meanwhile; read the roster again and retry',
    'seat',
  );

/** The technical council's roster: who holds each seat. */
export function createCouncilSeatStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<SeatDoc>(
    'CouncilSeat',
    seatSchema,
    'council_seats',
  );

  return {
    model,

    /** Every appointed seat (those of the current composition and any it dropped), in one query. */
    async roster(): Promise<CouncilSeatHolder[]> {
      const docs = await model.find().sort({ _id: 1 }).lean<SeatDoc[]>();
      return docs.map(toHolder);
    },

    /**
     * Writes an appointment and its event in one document write, if the seat
     * still has the holder it was read with (`previous`, or none).
     *
     * @throws ConflictError `SEAT_CHANGED_CONCURRENTLY`
     */
    async appoint(
      holder: CouncilSeatHolder,
      previous: CouncilSeatHolder | undefined,
      events: EventEnvelope[],
    ): Promise<void> {
      const { seat, ...fields } = holder;
      if (!previous) {
        await outbox.insert(
          model.collection,
          { _id: seat, ...fields },
          events,
          changedConcurrently,
        );
        return;
      }
      const result = await outbox.update(
        model.collection,
        {
          _id: seat,
          holderId: previous.holderId,
          appointedAt: previous.appointedAt,
        },
        { $set: fields },
        events,
      );
      if (result.matchedCount === 0) throw changedConcurrently();
    },
  };
}

export type CouncilSeatStore = ReturnType<typeof createCouncilSeatStore>;
