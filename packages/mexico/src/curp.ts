import { z } from 'zod';
import curp from 'curp';

// RENAPO's alphabet for the check digit: each character's value is its index (Ñ included).
const CHECK_DIGIT_ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/**
 * The check digit (18th character) of a CURP from its first 17 characters, by
 * RENAPO's algorithm: Σ value(cᵢ) × (18 − i), then (10 − Σ mod 10) mod 10.
 *
 * @throws Error when `first17` is not 17 characters of the CURP alphabet
 */
export function curpCheckDigit(first17: string): string {
  if (first17.length !== 17) {
    throw new Error('curpCheckDigit needs the first 17 characters of a CURP');
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CHECK_DIGIT_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new Error(`Invalid CURP character ${first17[i]}`);
    sum += value * (18 - i);
  }
  return String((10 - (sum % 10)) % 10);
}

/** The birth date a CURP encodes, or null when it is not a real calendar date. */
function birthDate(value: string): Date | null {
  const yy = Number(value.slice(4, 6));
  const month = Number(value.slice(6, 8));
  const day = Number(value.slice(8, 10));
  // Position 17 tells the century: a digit for births up to 1999, a letter from 2000.
  const year = (/\d/.test(value.charAt(16)) ? 1900 : 2000) + yy;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : null;
}

/**
 * Whether `value` is a valid CURP: the format and check digit (by the maintained
 * `curp` package, which implements RENAPO's rules: sex H/M/X, state code or NE
 * for born abroad, internal consonants), plus a real calendar birth date.
 * Expects upper case without separators; {@link curpSchema} normalises first.
 */
export function isValidCurp(value: string): boolean {
  return curp.validar(value) === true && birthDate(value) !== null;
}

/**
 * CURP (Clave Única de Registro de Población, Mexico's person id): 18
 * characters, format and check digit verified. Trims, upper-cases and drops
 * spaces and hyphens; parses to the normalised CURP. The custom issue carries
 * `params.code = 'INVALID_CURP'`, which service-kit's `parseInput` exposes as the
 * error's reason.
 */
export const curpSchema = z.string().transform((value, ctx) => {
  const normalised = value.replace(/[\s-]/g, '').toUpperCase();
  if (!isValidCurp(normalised)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'is not a valid CURP (18 characters: initials, birth date, sex, state, consonants, check digit)',
      params: { code: 'INVALID_CURP' },
    });
    return z.NEVER;
  }
  return normalised;
});
