import { z } from 'zod';
import { rfcSchema, stateCodeSchema } from '@conecta/mexico';

/** A state of Mexico, ISO 3166-2:MX (`MX-JAL`). */
export const mexicanStateCode = stateCodeSchema;

/** A Mexican tax id (RFC) with a valid verification digit, normalised. */
export const rfc = rfcSchema;

/** Entity ids are UUIDs (v7 in practice; any RFC 9562 UUID is accepted). */
export const entityId = z.uuid();

/** A calendar date, `YYYY-MM-DD` (e.g. an official gazette publication date). */
export const isoDate = z.iso.date();

/** An instant, UTC ISO 8601. */
export const isoDateTime = z.iso.datetime();
