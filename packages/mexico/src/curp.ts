import { z } from 'zod';
import type { StateCode } from './states';

// Written from RENAPO's Instructivo Normativo para la Asignación de la Clave
// Única de Registro de Población (the published rules), not from a library.

// RENAPO's alphabet for the check digit: each character's value is its index (Ñ included).
const CHECK_DIGIT_ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/** RENAPO's two-letter code of each state of birth (ISO 3166-2:MX → CURP). */
export const CURP_STATE_CODES: Readonly<Record<StateCode, string>> = {
  'MX-AGU': 'AS',
  'MX-BCN': 'BC',
  'MX-BCS': 'BS',
  'MX-CAM': 'CC',
  'MX-CHP': 'CS',
  'MX-CHH': 'CH',
  'MX-CMX': 'DF',
  'MX-COA': 'CL',
  'MX-COL': 'CM',
  'MX-DUR': 'DG',
  'MX-GUA': 'GT',
  'MX-GRO': 'GR',
  'MX-HID': 'HG',
  'MX-JAL': 'JC',
  'MX-MEX': 'MC',
  'MX-MIC': 'MN',
  'MX-MOR': 'MS',
  'MX-NAY': 'NT',
  'MX-NLE': 'NL',
  'MX-OAX': 'OC',
  'MX-PUE': 'PL',
  'MX-QUE': 'QT',
  'MX-ROO': 'QR',
  'MX-SLP': 'SP',
  'MX-SIN': 'SL',
  'MX-SON': 'SR',
  'MX-TAB': 'TC',
  'MX-TAM': 'TS',
  'MX-TLA': 'TL',
  'MX-VER': 'VZ',
  'MX-YUC': 'YN',
  'MX-ZAC': 'ZS',
};
/** The state code of a person born abroad (nacido en el extranjero). */
const BORN_ABROAD = 'NE';
const STATE_OF_BIRTH = new Set([
  ...Object.values(CURP_STATE_CODES),
  BORN_ABROAD,
]);

/**
 * Positions 1–17 by shape: initials (the second a vowel or X), birth date,
 * sex (H, M, or X for non-binary), state of birth, three internal consonants,
 * and the homoclave RENAPO assigns (a digit for births up to 1999, a letter
 * from 2000); position 18 is the check digit.
 */
const CURP_SHAPE =
  /^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX]([A-Z]{2})[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$/;

/**
 * Words the first four letters must not spell (Anexo 2 of the Instructivo):
 * when they would, the second letter becomes X.
 */
const INCONVENIENT_WORDS = new Set(
  (
    'BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE ' +
    'COJI COJO COLA CULO FALO FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA ' +
    'KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO LOCA LOCO ' +
    'LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA ' +
    'NACO PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO ' +
    'RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY'
  ).split(' '),
);

/** Particles dropped from compound names and surnames before taking letters. */
const PARTICLES = new Set(
  'DA DAS DE DEL DER DI DIE DD EL LA LOS LAS LE LES MAC MC VAN VON Y'.split(
    ' ',
  ),
);

/**
 * Given names so common that the second one is used when there are two
 * (María, José and their abbreviations).
 */
const COMMON_FIRST_NAMES = new Set([
  'MARIA',
  'MA.',
  'MA',
  'M.',
  'M',
  'JOSE',
  'J.',
  'J',
]);

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
 * Whether `value` is a valid CURP: its shape (sex H/M/X, a state of birth or
 * NE for born abroad, internal consonants), a real calendar birth date, and
 * the check digit. Expects upper case without separators; {@link curpSchema}
 * normalises first.
 */
export function isValidCurp(value: string): boolean {
  const shape = CURP_SHAPE.exec(value);
  return (
    shape !== null &&
    STATE_OF_BIRTH.has(shape[1]!) &&
    birthDate(value) !== null &&
    curpCheckDigit(value.slice(0, 17)) === value.charAt(17)
  );
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

/** What RENAPO builds a CURP from. */
export interface CurpPerson {
  givenNames: string;
  firstSurname: string;
  /** Absent for people with one surname: its letters read X. */
  secondSurname?: string;
  /** H (hombre), M (mujer) or X (non-binary). */
  sex: 'H' | 'M' | 'X';
  birthDate: Date;
  /** Where the person was born; `abroad` reads NE. */
  stateOfBirth: StateCode | 'abroad';
}

/** Upper case without accents, Ñ kept; particles dropped; one space between words. */
function words(name: string): string[] {
  return name
    .toUpperCase()
    .replace(/[^Ñ]/g, (c) => c.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))
    .split(/\s+/)
    .filter((word) => word !== '' && !PARTICLES.has(word));
}

/** Digits and punctuation read X in a CURP (spaces stay between words). */
const lettersOnly = (value: string) => value.replace(/[^A-ZÑ ]/g, 'X');
const VOWEL = /[AEIOU]/;
const CONSONANT = /[B-DF-HJ-NP-TV-ZÑ]/;

/** The first character of `part` after the first that matches, X when none (or Ñ). */
function firstInternal(part: string, kind: RegExp): string {
  const found = [...part.slice(1)].find((c) => kind.test(c));
  return found === undefined || found === 'Ñ' ? 'X' : found;
}

const initial = (part: string) => {
  const first = part.charAt(0);
  return first === '' || first === 'Ñ' ? 'X' : first;
};

/**
 * The CURP RENAPO's rules give a person, with homoclave 0 (births up to
 * 1999) or A (from 2000): RENAPO assigns the homoclave to tell apart people
 * whose first 16 characters match, so a real CURP may differ there (and in
 * the check digit). For test and demo data; never a substitute for RENAPO.
 */
export function generateCurp(person: CurpPerson): string {
  const first = lettersOnly(words(person.firstSurname).join(' '));
  const second = lettersOnly(words(person.secondSurname ?? '').join(' '));
  const names = words(person.givenNames);
  const given = lettersOnly(
    (names.length > 1 && COMMON_FIRST_NAMES.has(names[0]!)
      ? names[1]
      : names[0]) ?? '',
  );
  if (first === '' || given === '') {
    throw new Error('a CURP needs a first surname and a given name');
  }
  let initials =
    initial(first) +
    firstInternal(first, VOWEL) +
    initial(second) +
    initial(given);
  if (INCONVENIENT_WORDS.has(initials)) {
    initials = `${initials.charAt(0)}X${initials.slice(2)}`;
  }
  const birth = person.birthDate;
  const yyMmDd = [
    birth.getUTCFullYear() % 100,
    birth.getUTCMonth() + 1,
    birth.getUTCDate(),
  ]
    .map((n) => String(n).padStart(2, '0'))
    .join('');
  const first17 =
    initials +
    yyMmDd +
    person.sex +
    (person.stateOfBirth === 'abroad'
      ? BORN_ABROAD
      : CURP_STATE_CODES[person.stateOfBirth]) +
    firstInternal(first, CONSONANT) +
    firstInternal(second, CONSONANT) +
    firstInternal(given, CONSONANT) +
    (birth.getUTCFullYear() < 2000 ? '0' : 'A');
  return first17 + curpCheckDigit(first17);
}
