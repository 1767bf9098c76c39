import { curpCheckDigit, curpSchema, isValidCurp } from '../src';

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
});
