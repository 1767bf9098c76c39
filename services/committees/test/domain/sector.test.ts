import { registerSectorInput } from '../../src/domain/sector';
import { sectorMother } from '../fixtures/mothers';

describe('registering a sector', () => {
  it('accepts social and public sectors as well as productive ones', () => {
    for (const kind of ['PRODUCTIVE', 'SOCIAL', 'PUBLIC'] as const) {
      expect(
        registerSectorInput.parse(sectorMother.productive({ kind })).kind,
      ).toBe(kind);
    }
  });

  it('refuses a code that is not 2 to 6 digits', () => {
    for (const code of ['5', '1234567', '54A1']) {
      const result = registerSectorInput.safeParse(
        sectorMother.productive({ code }),
      );
      expect(result.error?.issues[0]?.path).toEqual(['code']);
    }
  });
});
