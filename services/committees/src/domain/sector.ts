import { z } from 'zod';
import { SECTOR_KINDS } from '@conecta/events/contracts';

export type SectorKind = (typeof SECTOR_KINDS)[number];

/** An entry of the economic sector catalog. */
export interface Sector {
  id: string;
  /** SCIAN-style code, 2 to 6 digits (SCIAN: sector 2, subsector 3 … national industry 6). */
  code: string;
  name: string;
  kind: SectorKind;
  registeredAt: Date;
}

export const sectorCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{2,6}$/, 'must be a SCIAN-style code of 2 to 6 digits');

export const registerSectorInput = z.object({
  code: sectorCodeSchema,
  name: z
    .string()
    .trim()
    .min(2, 'must have at least 2 characters')
    .max(200, 'must have at most 200 characters'),
  kind: z.enum(SECTOR_KINDS),
});

export type RegisterSectorInput = z.output<typeof registerSectorInput>;

/** Builds a new catalog sector from validated input. */
export function registerSector(
  input: RegisterSectorInput,
  { id, now }: { id: string; now: Date },
): Sector {
  return { id, ...input, registeredAt: now };
}
