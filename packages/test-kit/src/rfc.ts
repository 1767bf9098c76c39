import { randomInt } from 'node:crypto';
import validateRfc from 'validate-rfc';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HOMOCLAVE = 'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789';
const pick = (alphabet: string): string =>
  alphabet[randomInt(alphabet.length)] ?? 'X';
const twoDigits = (min: number, max: number): string =>
  String(randomInt(min, max + 1)).padStart(2, '0');

/**
 * A fresh company RFC (12 characters) with a correct verification digit, so tests
 * never collide on unique RFC indexes.
 */
export function companyRfc(): string {
  for (;;) {
    const stem =
      pick(LETTERS) +
      pick(LETTERS) +
      pick(LETTERS) +
      twoDigits(0, 99) +
      twoDigits(1, 12) +
      twoDigits(1, 28) +
      pick(HOMOCLAVE) +
      pick(HOMOCLAVE);
    for (const digit of '0123456789A') {
      if (validateRfc(stem + digit).isValid) return stem + digit;
    }
  }
}

/** The same RFC with a wrong verification digit. */
export function withWrongDigit(rfc: string): string {
  return rfc.slice(0, -1) + (rfc.endsWith('1') ? '2' : '1');
}
