import { Schema, type Connection } from 'mongoose';
import type { Collection, Document } from 'mongodb';
import {
  PlacementRecordedV1,
  newEvent,
  type OutboxWriter,
} from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import type { StateCode } from '@conecta/mexico';
import {
  PLACEMENT_NATURAL_KEY,
  PlacementExistsError,
  type Placement,
} from '../domain/placement';

/** A placement as stored. */
export interface PlacementDoc extends Omit<Placement, 'id'> {
  _id: string;
}

/**
 * Placements: outcomes' own aggregate. Each is written with its
 * `outcomes.PlacementRecorded` event in one document write (the outbox); the
 * analytics count placements from that event, like every other fact. Written
 * through the driver (never mongoose), so the outbox fields need no schema.
 */
export function createPlacementStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const schema = new Schema<PlacementDoc>(
    {
      _id: { type: String, required: true },
      personId: { type: String, required: true, index: true },
      employerId: { type: String, required: true, index: true },
      jobTitle: String,
      sectorId: String,
      state: String,
      startDate: { type: Date, index: true },
      salaryBeforeCentavos: Number,
      salaryAfterCentavos: Number,
      recordedAt: Date,
    },
    { versionKey: false },
  );
  // The natural key (domain/placement.ts): the database refuses a second
  // record of one placement, however many requests race.
  schema.index(
    Object.fromEntries(PLACEMENT_NATURAL_KEY.map((field) => [field, 1])),
    { unique: true, name: 'placement_natural_key' },
  );
  const model = connection.model<PlacementDoc>(
    'Placement',
    schema,
    'placements',
  );
  const collection = model.collection as unknown as Collection<Document>;
  const toPlacement = ({ _id, ...rest }: PlacementDoc): Placement => ({
    id: _id,
    ...rest,
  });
  const projection = {
    personId: 1,
    employerId: 1,
    jobTitle: 1,
    sectorId: 1,
    state: 1,
    startDate: 1,
    salaryBeforeCentavos: 1,
    salaryAfterCentavos: 1,
    recordedAt: 1,
  };

  return {
    model,
    collection,
    async record(placement: Placement): Promise<void> {
      const { id, startDate, recordedAt, ...rest } = placement;
      const event = newEvent(PlacementRecordedV1, {
        subject: id,
        data: {
          id,
          ...rest,
          // newPlacement checked it.
          state: rest.state as StateCode,
          startDate: startDate.toISOString().slice(0, 10),
          recordedAt: recordedAt.toISOString(),
        },
      });
      const duplicate = new ConflictError(
        'PLACEMENT_EXISTS',
        'The placement exists',
      );
      try {
        await outbox.insert(
          collection,
          { _id: id, ...rest, startDate, recordedAt },
          [event],
          () => duplicate,
        );
      } catch (error) {
        if (error !== duplicate) throw error;
        // Ids are new UUIDs: the duplicate is the natural key. Name the
        // placement that holds it.
        const existing = await collection.findOne(
          { personId: rest.personId, employerId: rest.employerId, startDate },
          { projection: { _id: 1 } },
        );
        throw existing ? new PlacementExistsError(String(existing._id)) : error;
      }
    },
    async byPeople(personIds: readonly string[]): Promise<Placement[]> {
      const docs = await model
        .find({ personId: { $in: [...personIds] } }, projection)
        .lean<PlacementDoc[]>();
      return docs.map(toPlacement);
    },
    async byIds(ids: readonly string[]): Promise<Placement[]> {
      const docs = await model
        .find({ _id: { $in: [...ids] } }, projection)
        .lean<PlacementDoc[]>();
      return docs.map(toPlacement);
    },
    async byEmployers(employerIds: readonly string[]): Promise<Placement[]> {
      const docs = await model
        .find({ employerId: { $in: [...employerIds] } }, projection)
        .lean<PlacementDoc[]>();
      return docs.map(toPlacement);
    },
    /** Placements starting in [from, until), optionally in one state and one sector. */
    async starting(
      from: Date,
      until: Date,
      { state, sectorId }: { state?: string; sectorId?: string } = {},
    ): Promise<Placement[]> {
      const docs = await model
        .find(
          {
            startDate: { $gte: from, $lt: until },
            ...(state ? { state } : {}),
            ...(sectorId ? { sectorId } : {}),
          },
          projection,
        )
        .lean<PlacementDoc[]>();
      return docs.map(toPlacement);
    },
  };
}

export type PlacementStore = ReturnType<typeof createPlacementStore>;
