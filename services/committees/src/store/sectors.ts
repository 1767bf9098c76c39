import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import { ConflictError } from '@conecta/service-kit/errors';
import type { Sector, SectorKind } from '../domain/sector';

export interface SectorDoc {
  _id: string;
  code: string;
  name: string;
  kind: SectorKind;
  registeredAt: Date;
}

const sectorSchema = new Schema<SectorDoc>(
  {
    _id: { type: String, required: true },
    // The catalog code is the sector's public identity: unique.
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    registeredAt: { type: Date, required: true },
  },
  // Writes that carry events go through the outbox writer (the driver); mongoose reads.
  { versionKey: false },
);

function toSector(doc: SectorDoc): Sector {
  return {
    id: doc._id,
    code: doc.code,
    name: doc.name,
    kind: doc.kind,
    registeredAt: doc.registeredAt,
  };
}

/** The sector catalog in MongoDB. */
export function createSectorStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<SectorDoc>('Sector', sectorSchema, 'sectors');

  return {
    model,

    /** Inserts the sector and its events in one document write (outbox). */
    async insert(sector: Sector, events: EventEnvelope[]): Promise<void> {
      const { id, ...fields } = sector;
      await outbox.insert(
        model.collection,
        { _id: id, ...fields },
        events,
        () =>
          new ConflictError(
            'SECTOR_CODE_TAKEN',
            `Sector code ${sector.code} already exists`,
            'input.code',
          ),
      );
    },

    async findByIds(ids: readonly string[]): Promise<Sector[]> {
      const docs = await model.find({ _id: { $in: ids } }).lean<SectorDoc[]>();
      return docs.map(toSector);
    },

    async findByCode(code: string): Promise<Sector | null> {
      const doc = await model.findOne({ code }).lean<SectorDoc>();
      return doc ? toSector(doc) : null;
    },

    /** The catalog ordered by code. */
    async list(kind?: SectorKind | null): Promise<Sector[]> {
      const docs = await model
        .find(kind ? { kind } : {})
        .sort({ code: 1 })
        .lean<SectorDoc[]>();
      return docs.map(toSector);
    },
  };
}

export type SectorStore = ReturnType<typeof createSectorStore>;
