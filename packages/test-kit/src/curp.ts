import { randomInt } from 'node:crypto';
import { curpCheckDigit } from '@conecta/mexico';

const CONSONANTS = 'BCDFGHJKLMNPQRSTVWXYZ';
const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;

/**
 * A fresh CURP with a correct check digit (someone born in Jalisco in the
 * 1990s), crypto-random so tests never collide on the unique CURP index.
 */
export function validCurp(): string {
  const stem =
    'GA' +
    pick(CONSONANTS) +
    pick(CONSONANTS) +
    String(90 + randomInt(10)) +
    String(1 + randomInt(9)).padStart(2, '0') +
    String(1 + randomInt(28)).padStart(2, '0') +
    (randomInt(2) ? 'H' : 'M') +
    'JC' +
    pick(CONSONANTS) +
    pick(CONSONANTS) +
    pick(CONSONANTS) +
    String(randomInt(10));
  return stem + curpCheckDigit(stem);
}
