import {
  STATE_CODES,
  generateCompanyRfc,
  rfcSchema,
  stateCodeSchema,
  stateName,
} from '../src';

describe("Mexico's states", () => {
  it('lists the 32 federal entities, each with its name', () => {
    expect(STATE_CODES).toHaveLength(32);
    expect(stateName('MX-NLE')).toBe('Nuevo León');
    expect(stateName('MX-CMX')).toBe('Ciudad de México');
  });

  it('refuses a state name where an ISO code is expected, saying what is wanted', () => {
    const result = stateCodeSchema.safeParse('Jalisco');
    expect(result.error?.issues[0]?.message).toMatch(/ISO 3166-2:MX/);
  });
});

describe('RFC', () => {
  // GODE561231GR8 is the worked example of SAT's verification-digit algorithm.
  it('accepts a valid RFC, normalising case and separators', () => {
    expect(rfcSchema.parse('gode-561231-gr8')).toBe('GODE561231GR8');
  });

  it('refuses a wrong verification digit and an impossible date', () => {
    expect(rfcSchema.safeParse('GODE561231GR9').success).toBe(false);
    expect(rfcSchema.safeParse('GODE561331GR8').success).toBe(false);
  });

  it('refuses the generic RFCs shared by many taxpayers', () => {
    expect(
      rfcSchema.safeParse('XAXX010101000').error?.issues[0]?.message,
    ).toMatch(/generic RFC/);
    expect(rfcSchema.safeParse('XEXX010101000').success).toBe(false);
  });
});

describe('generated company RFCs', () => {
  it('are valid 12-character RFCs, and the same seed gives the same RFC', () => {
    let state = 42;
    const seeded = () =>
      ((state = (state * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const rfc = generateCompanyRfc(seeded);
    expect(rfc).toHaveLength(12);
    expect(rfcSchema.parse(rfc)).toBe(rfc);
    state = 42;
    expect(generateCompanyRfc(seeded)).toBe(rfc);
  });
});
