import { z } from 'zod';

/** The 32 federal entities of Mexico as ISO 3166-2:MX codes. */
export const MEXICAN_STATE_CODES = [
  'MX-AGU',
  'MX-BCN',
  'MX-BCS',
  'MX-CAM',
  'MX-CHP',
  'MX-CHH',
  'MX-CMX',
  'MX-COA',
  'MX-COL',
  'MX-DUR',
  'MX-GUA',
  'MX-GRO',
  'MX-HID',
  'MX-JAL',
  'MX-MEX',
  'MX-MIC',
  'MX-MOR',
  'MX-NAY',
  'MX-NLE',
  'MX-OAX',
  'MX-PUE',
  'MX-QUE',
  'MX-ROO',
  'MX-SLP',
  'MX-SIN',
  'MX-SON',
  'MX-TAB',
  'MX-TAM',
  'MX-TLA',
  'MX-VER',
  'MX-YUC',
  'MX-ZAC',
] as const;

/** A state of Mexico, ISO 3166-2:MX (`MX-JAL`). */
export const mexicanStateCode = z.enum(MEXICAN_STATE_CODES);

/**
 * RFC (Registro Federal de Contribuyentes): 3 letters (legal entity) or 4
 * (person), a YYMMDD date, a 2-character homoclave and a check digit (0-9 or A).
 */
export const RFC_PATTERN =
  /^[A-ZÑ&]{3,4}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[A-Z\d]{2}[\dA]$/;

/** A Mexican tax id (RFC), upper case. */
export const rfc = z.string().regex(RFC_PATTERN, {
  message: 'must be a valid RFC (e.g. "CNI850101AB1")',
});

/** Entity ids are UUIDs (v7 in practice; any RFC 9562 UUID is accepted). */
export const entityId = z.uuid();
