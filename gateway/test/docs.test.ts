import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { BANNER_EXAMPLES } from '@conecta/devstack';
import { ERROR_KINDS } from '@conecta/service-kit';
import { parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { apiSchemaOf } from '../src/compose';
import { parseGatewayConfig } from '../src/env';
import { queryLimits } from '../src/protection';
import { RATE_LIMITED, SUPERGRAPH_PATH } from '../src/server';
import { SUBGRAPH_UNAVAILABLE } from '../src/subgraph-source';

// The partner documentation (docs/) cannot rot: every GraphQL example is
// valid against the composed graph's API schema AND within the gateway's
// default limits, the example client's operation too, and the pages that
// quote the gateway's codes and defaults agree with its code.
const DOCS = join(__dirname, '..', '..', 'docs');
const CLIENT = join(DOCS, 'examples', 'university-demand-trends.mjs');

const config = parseGatewayConfig({
  IDENTITY_SECRET: 'docs-test-identity-secret-at-least-32-chars',
  JWT_SECRET: 'docs-test-jwt-secret-with-at-least-32-chars',
});
const limits = queryLimits({
  maxDepth: config.MAX_DEPTH,
  maxAliases: config.MAX_ALIASES,
  maxTokens: config.MAX_TOKENS,
  maxCost: config.MAX_COST,
  maxDirectives: config.MAX_DIRECTIVES,
});
const schema: GraphQLSchema = apiSchemaOf(
  readFileSync(SUPERGRAPH_PATH, 'utf8'),
);

/** Problems the gateway would answer for this document (none: it runs). */
function problems(source: string): string[] {
  const document = parse(source, limits.parseOptions);
  return validate(schema, document, [
    ...specifiedRules,
    ...limits.validationRules,
  ]).map((error) => error.message);
}

const pages = readdirSync(DOCS).filter((name) => name.endsWith('.md'));
const read = (page: string) => readFileSync(join(DOCS, page), 'utf8');
const examples = pages.flatMap((page) =>
  [...read(page).matchAll(/^```graphql\n([\s\S]*?)^```/gm)].map(
    ([, source], i) => {
      const name = /^\s*(?:query|mutation)\s+(\w+)/m.exec(source!)?.[1];
      return { label: `${page}: ${name ?? `block ${i + 1}`}`, source: source! };
    },
  ),
);

describe('partner documentation (docs/)', () => {
  it('has the pages the issue asks for, and GraphQL examples in them', () => {
    expect(pages).toEqual(
      expect.arrayContaining([
        'README.md',
        'auth.md',
        'limits.md',
        'errors.md',
        'pagination.md',
        'examples.md',
      ]),
    );
    // A regex that silently matched nothing would pass every check below.
    expect(examples.length).toBeGreaterThanOrEqual(20);
  });

  it.each(examples)(
    '$label is a named operation, valid against the supergraph and within the gateway limits',
    ({ source }) => {
      expect(source).toMatch(/^\s*(query|mutation)\s+\w+/);
      expect(problems(source)).toEqual([]);
    },
  );

  it('the example client’s operation is valid and within the limits', () => {
    const client = readFileSync(CLIENT, 'utf8');
    const query = /\/\* GraphQL \*\/ `([\s\S]*?)`/.exec(client)?.[1];
    expect(query).toContain('demandTrends');
    expect(problems(query!)).toEqual([]);
  });

  it.each(Object.entries(BANNER_EXAMPLES))(
    'the %s example `npm start` prints is valid and within the limits',
    (_user, source) => {
      expect(problems(source)).toEqual([]);
    },
  );

  it('catches an invalid example: an unknown field, or a query over the depth limit', () => {
    expect(problems('query Q { standards { nodes { nope } } }')).not.toEqual(
      [],
    );
    const deep = `query Deep { standards { nodes { ${'committee { sector { committees { standards { '.repeat(3)}code${' } } } }'.repeat(3)} } } }`;
    expect(problems(deep).join('\n')).toMatch(/depth/i);
  });

  it('errors.md lists every extensions.code the gateway lets through', () => {
    const errors = read('errors.md');
    for (const code of [
      ...ERROR_KINDS,
      ...Object.values(ApolloServerErrorCode),
      'INTERNAL',
      SUBGRAPH_UNAVAILABLE,
      RATE_LIMITED,
    ])
      expect(errors).toContain(`\`${code}\``);
  });

  it('limits.md quotes the gateway’s default limits', () => {
    const rows = read('limits.md')
      .split('\n')
      .filter((line) => line.startsWith('|'));
    const defaults: Record<string, number> = {
      MAX_DEPTH: config.MAX_DEPTH,
      MAX_ALIASES: config.MAX_ALIASES,
      MAX_DIRECTIVES: config.MAX_DIRECTIVES,
      MAX_COST: config.MAX_COST,
      MAX_TOKENS: config.MAX_TOKENS,
      MAX_BODY_BYTES: config.MAX_BODY_BYTES,
      RATE_LIMIT_PER_IP: config.RATE_LIMIT_PER_IP,
      RATE_LIMIT_PER_KEY_DEFAULT: config.RATE_LIMIT_PER_KEY_DEFAULT,
    };
    for (const [variable, value] of Object.entries(defaults)) {
      const row = rows.find((line) => line.includes(`\`${variable}\``));
      expect({ variable, row }).toEqual({
        variable,
        row: expect.stringMatching(new RegExp(`\\b${value}\\b`)),
      });
    }
  });
});
