import { v7 as uuidv7 } from 'uuid';
import { parseInput, requireRole } from '@conecta/service-kit';
import { CAN_REGISTER_SECTOR } from '../domain/permissions';
import {
  registerSector,
  registerSectorInput,
  type Sector,
} from '../domain/sector';
import type { Context } from '../context';

/** Adds a sector to the catalog, with its event, in one insert (CONFLICT `SECTOR_CODE_TAKEN`). */
export async function registerSectorCommand(
  { identity, stores, events, requestId }: Context,
  rawInput: unknown,
): Promise<Sector> {
  requireRole(identity, ...CAN_REGISTER_SECTOR);
  const input = parseInput(registerSectorInput, rawInput);
  const sector = registerSector(input, { id: uuidv7(), now: new Date() });
  await stores.sectors.insert(sector, [
    events.sectorRegistered(sector, { traceId: requestId }),
  ]);
  return sector;
}
