import { curpCheckDigit, curpSchema, generateCurp, isValidCurp } from '../src';

// Known valid CURPs: RENAPO's own published example, and a public figure's CURP
// printed in official records.
const RENAPO_EXAMPLE = 'HEGG560427MVZRRL04';
const PUBLIC_RECORD = 'LOOA531113HTCPBN07';

describe('CURP', () => {
  it('computes the check digit by RENAPO’s algorithm', () => {
    expect(curpCheckDigit(RENAPO_EXAMPLE.slice(0, 17))).toBe('4');
    expect(curpCheckDigit(PUBLIC_RECORD.slice(0, 17))).toBe('7');
  });

  it('accepts known valid CURPs, normalising case, spaces and hyphens', () => {
    expect(isValidCurp(RENAPO_EXAMPLE)).toBe(true);
    expect(curpSchema.parse(' hegg-560427-mvzrrl04 ')).toBe(RENAPO_EXAMPLE);
    expect(curpSchema.parse(PUBLIC_RECORD)).toBe(PUBLIC_RECORD);
  });

  it('refuses a wrong check digit', () => {
    expect(isValidCurp('HEGG560427MVZRRL05')).toBe(false);
    expect(curpSchema.safeParse('LOOA531113HTCPBN08').success).toBe(false);
  });

  it('refuses an impossible birth date even with a matching check digit', () => {
    const stem = 'HEGG560231MVZRRL0'; // 31 February
    expect(isValidCurp(stem + curpCheckDigit(stem))).toBe(false);
  });

  it('refuses a bad sex, an unknown state and the wrong length', () => {
    for (const stem of ['HEGG560427QVZRRL0', 'HEGG560427MXXRRL0']) {
      expect(isValidCurp(stem + curpCheckDigit(stem))).toBe(false);
    }
    expect(isValidCurp('HEGG560427MVZRRL0')).toBe(false);
  });

  it('reads a letter in position 17 as a birth from 2000 on', () => {
    const stem = 'SAMA000229HJCNRNA'; // 29 Feb 2000, a leap year
    expect(isValidCurp(stem + curpCheckDigit(stem))).toBe(true);
  });

  it('reports reason INVALID_CURP with a message people can act on', () => {
    const result = curpSchema.safeParse('NOT-A-CURP');
    expect(result.error?.issues[0]).toMatchObject({
      message: expect.stringMatching(/not a valid CURP/),
      params: { code: 'INVALID_CURP' },
    });
  });

  describe('generating a CURP by RENAPO’s rules', () => {
    // Worked by hand from the Instructivo: Gloria Hernández García, woman,
    // born 27 April 1956 in Veracruz → H (first surname) E (its first
    // internal vowel) G (second surname) G (given name), 560427, M, VZ,
    // R (internal consonant of HERNANDEZ) R (GARCIA) L (GLORIA), homoclave 0
    // for a birth before 2000, check digit 4: RENAPO's own example.
    const gloria = {
      givenNames: 'Gloria',
      firstSurname: 'Hernández',
      secondSurname: 'García',
      sex: 'M' as const,
      birthDate: new Date(Date.UTC(1956, 3, 27)),
      stateOfBirth: 'MX-VER' as const,
    };

    it('builds RENAPO’s published example, letter by letter', () => {
      expect(generateCurp(gloria)).toBe(RENAPO_EXAMPLE);
    });

    it('uses the second given name after María or José, and drops particles', () => {
      const curp = generateCurp({
        ...gloria,
        givenNames: 'María de los Ángeles',
        firstSurname: 'de la Garza',
      });
      // GARZA → G A; García → G; ÁNGELES → A; consonants R, R, N.
      expect(curp.slice(0, 4)).toBe('GAGA');
      expect(curp.slice(13, 16)).toBe('RRN');
      expect(isValidCurp(curp)).toBe(true);
    });

    it('writes X for a missing second surname, Ñ and missing internal letters', () => {
      const curp = generateCurp({
        ...gloria,
        givenNames: 'Ña',
        firstSurname: 'Oe',
        secondSurname: undefined,
      });
      // O, then internal vowel E; no second surname X; Ñ → X; no internal
      // consonants anywhere → X X X.
      expect(curp.slice(0, 4)).toBe('OEXX');
      expect(curp.slice(13, 16)).toBe('XXX');
      expect(isValidCurp(curp)).toBe(true);
    });

    it('replaces an inconvenient word’s second letter with X', () => {
      // Bueno · Estrada · Yolanda would spell BUEY.
      const curp = generateCurp({
        ...gloria,
        givenNames: 'Yolanda',
        firstSurname: 'Bueno',
        secondSurname: 'Estrada',
      });
      expect(curp.slice(0, 4)).toBe('BXEY');
    });

    it('gives a letter homoclave from 2000 and NE for a birth abroad', () => {
      const curp = generateCurp({
        ...gloria,
        birthDate: new Date(Date.UTC(2004, 1, 29)),
        stateOfBirth: 'abroad',
      });
      expect(curp.slice(4, 10)).toBe('040229');
      expect(curp.slice(11, 13)).toBe('NE');
      expect(curp.charAt(16)).toBe('A');
      expect(isValidCurp(curp)).toBe(true);
    });
  });
});
