import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

function toCentavos(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new GraphQLError(
      'Centavos must be a non-negative whole number of centavos',
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  return value;
}

/**
 * Integer centavos (MXN), up to 2^53 − 1: GraphQL's Int stops at 2^31 − 1 (21
 * million pesos). One scalar for every service that handles money.
 */
export const CentavosScalar = new GraphQLScalarType({
  name: 'Centavos',
  description: 'An amount of money in integer centavos of Mexican pesos (MXN).',
  serialize: toCentavos,
  parseValue: toCentavos,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT)
      throw new GraphQLError('Centavos must be an integer literal', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    return toCentavos(Number(ast.value));
  },
});
