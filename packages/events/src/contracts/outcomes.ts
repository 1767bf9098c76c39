import { z } from 'zod';
import { defineEvent } from '../contract';
import { entityId, isoDate, isoDateTime, mexicanStateCode } from './common';

// outcomes' own facts. Salaries are monthly, in integer centavos of MXN.
const centavos = z.number().int().min(0);

/** A person was hired by an employer organization. */
export const PlacementRecordedV1 = defineEvent({
  type: 'outcomes.PlacementRecorded',
  version: 1,
  description:
    'A person was hired by an employer organization, recorded by a broker or the employer: job title, sector, state, start date, monthly salary before and after (centavos).',
  data: z.object({
    id: entityId,
    personId: entityId,
    employerId: entityId,
    jobTitle: z.string().trim().min(1).max(200),
    sectorId: entityId,
    state: mexicanStateCode,
    startDate: isoDate,
    salaryBeforeCentavos: centavos,
    salaryAfterCentavos: centavos,
    recordedAt: isoDateTime,
  }),
});

/** Every outcomes contract, every version. */
export const outcomesContracts = [PlacementRecordedV1] as const;
