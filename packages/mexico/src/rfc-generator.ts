import validateRfc from 'validate-rfc';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// The homoclave avoids O (read as 0) like SAT's own assignments.
const HOMOCLAVE = 'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789';

/**
 * A syntactically valid company RFC (12 characters: 3 letters, a YYMMDD date, a
 * 2-character homoclave and the verification digit SAT's algorithm gives), for
 * test and demo data — it identifies nobody. `random` returns [0, 1) like
 * Math.random (pass a seeded one for reproducible data).
 */
export function generateCompanyRfc(random: () => number = Math.random): string {
  const pick = (alphabet: string) =>
    alphabet[Math.floor(random() * alphabet.length)] ?? 'X';
  const two = (min: number, max: number) =>
    String(min + Math.floor(random() * (max - min + 1))).padStart(2, '0');
  for (;;) {
    const stem =
      pick(LETTERS) +
      pick(LETTERS) +
      pick(LETTERS) +
      two(0, 99) +
      two(1, 12) +
      two(1, 28) +
      pick(HOMOCLAVE) +
      pick(HOMOCLAVE);
    for (const digit of '0123456789A') {
      if (validateRfc(stem + digit).isValid) return stem + digit;
    }
  }
}
