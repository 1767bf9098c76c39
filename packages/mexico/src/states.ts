import { z } from 'zod';

/**
 * Mexico's 32 federal entities with their ISO 3166-2:MX codes. The directory,
 * committee scopes and demand all speak these codes.
 */
export const MEXICAN_STATES = {
  'MX-AGU': 'Aguascalientes',
  'MX-BCN': 'Baja California',
  'MX-BCS': 'Baja California Sur',
  'MX-CAM': 'Campeche',
  'MX-CHP': 'Chiapas',
  'MX-CHH': 'Chihuahua',
  'MX-CMX': 'Ciudad de México',
  'MX-COA': 'Coahuila de Zaragoza',
  'MX-COL': 'Colima',
  'MX-DUR': 'Durango',
  'MX-GUA': 'Guanajuato',
  'MX-GRO': 'Guerrero',
  'MX-HID': 'Hidalgo',
  'MX-JAL': 'Jalisco',
  'MX-MEX': 'México',
  'MX-MIC': 'Michoacán de Ocampo',
  'MX-MOR': 'Morelos',
  'MX-NAY': 'Nayarit',
  'MX-NLE': 'Nuevo León',
  'MX-OAX': 'Oaxaca',
  'MX-PUE': 'Puebla',
  'MX-QUE': 'Querétaro',
  'MX-ROO': 'Quintana Roo',
  'MX-SLP': 'San Luis Potosí',
  'MX-SIN': 'Sinaloa',
  'MX-SON': 'Sonora',
  'MX-TAB': 'Tabasco',
  'MX-TAM': 'Tamaulipas',
  'MX-TLA': 'Tlaxcala',
  'MX-VER': 'Veracruz de Ignacio de la Llave',
  'MX-YUC': 'Yucatán',
  'MX-ZAC': 'Zacatecas',
} as const;

export type StateCode = keyof typeof MEXICAN_STATES;

export const STATE_CODES = Object.keys(MEXICAN_STATES) as [
  StateCode,
  ...StateCode[],
];

export function isStateCode(value: string): value is StateCode {
  return Object.hasOwn(MEXICAN_STATES, value);
}

export function stateName(code: StateCode): string {
  return MEXICAN_STATES[code];
}

/** A state of Mexico as an ISO 3166-2:MX code (`MX-JAL`), with a message people can act on. */
export const stateCodeSchema = z.enum(STATE_CODES, {
  error: 'must be an ISO 3166-2:MX state code such as MX-JAL',
});
