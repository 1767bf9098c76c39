import { Kind } from 'graphql';
import { CentavosScalar } from '../../src';

describe('Centavos', () => {
  it('carries whole centavos beyond GraphQL Int (2^31 − 1 centavos is 21 million pesos)', () => {
    const fundBudget = 12_500_000_000_00; // 12.5 billion pesos
    expect(CentavosScalar.serialize(fundBudget)).toBe(fundBudget);
    expect(CentavosScalar.parseValue(fundBudget)).toBe(fundBudget);
    expect(
      CentavosScalar.parseLiteral({
        kind: Kind.INT,
        value: String(fundBudget),
      }),
    ).toBe(fundBudget);
  });

  it.each([
    ['a negative amount', -1],
    ['a fraction of a centavo', 10.5],
    ['beyond 2^53 − 1, where integers lose precision', 2 ** 53],
    ['a string', '100'],
  ])('refuses %s with BAD_USER_INPUT', (_what, value) => {
    expect(() => CentavosScalar.parseValue(value)).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }),
    );
  });

  it('refuses a literal that is not an integer', () => {
    expect(() =>
      CentavosScalar.parseLiteral({ kind: Kind.FLOAT, value: '1.5' }),
    ).toThrow('Centavos must be an integer literal');
  });
});
