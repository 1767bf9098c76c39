import { randomInt } from 'node:crypto';
import { generateCompanyRfc } from '@conecta/mexico';

/**
 * A fresh company RFC with a correct verification digit (crypto-random, so
 * tests never collide on unique RFC indexes).
 */
export function companyRfc(): string {
  return generateCompanyRfc(() => randomInt(1_000_000) / 1_000_000);
}

/** The same RFC with a wrong verification digit. */
export function withWrongDigit(rfc: string): string {
  return rfc.slice(0, -1) + (rfc.endsWith('1') ? '2' : '1');
}
