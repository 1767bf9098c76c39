import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  operationFromDocument,
  Supergraph,
} from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';
import {
  breakingChanges,
  composeSupergraph,
  CompositionError,
  readAcceptedHints,
  readAcknowledgedChanges,
  reviewHints,
  unacknowledged,
} from '../src/compose';
import { SUPERGRAPH_PATH } from '../src/server';
import { SUBGRAPHS } from '../src/subgraphs';

describe('supergraph composition', () => {
  it('composes every subgraph schema without errors', () => {
    const { supergraphSdl } = composeSupergraph(SUBGRAPHS);
    for (const s of SUBGRAPHS)
      expect(supergraphSdl).toContain(`name: "${s.name}"`);
  });

  it('the committed supergraph is the composition of the current subgraph schemas', () => {
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(
      composeSupergraph(SUBGRAPHS).supergraphSdl,
    );
  });

  // Issue 11: a public verification is one subgraph call. Certification
  // answers the standard's code, title and level from its projection
  // (@provides), so the planner asks standards nothing.
  it('plans a verification with its standard’s code, title and level as one fetch to certification', () => {
    const supergraph = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    const plan = new QueryPlanner(supergraph).buildQueryPlan(
      operationFromDocument(
        supergraph.apiSchema(),
        parse(`query ($code: String!) {
          verifyCertificate(code: $code) {
            status standardCode issuerName holderInitials
            standard { code title level }
            certifyingBody { name }
          }
        }`),
      ),
    );
    expect(plan.node).toMatchObject({
      kind: 'Fetch',
      serviceName: 'certification',
    });
  });

  it('fails with every problem listed when two subgraphs disagree on a field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    const clash = join(dir, 'clash.graphql');
    writeFileSync(
      clash,
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
       type Organization @key(fields: "id") { id: ID! name: Int }
       type Query { anything: Organization }`,
    );
    const attempt = () =>
      composeSupergraph([
        ...SUBGRAPHS,
        { name: 'clash', schemaPath: clash, url: 'http://localhost:1/graphql' },
      ]);
    expect(attempt).toThrow(CompositionError);
    expect(attempt).toThrow(/Organization\.name/);
  });
});

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])`;

/** Writes each SDL to a temp file and composes them (subgraphs a, b, …). */
function composeSdl(...sdls: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'compose-'));
  return composeSupergraph(
    sdls.map((sdl, i) => {
      const schemaPath = join(dir, `s${i}.graphql`);
      writeFileSync(schemaPath, `${FEDERATION}\n${sdl}`);
      return {
        name: String.fromCharCode(97 + i),
        schemaPath,
        url: `http://localhost:${9_000 + i}/graphql`,
      };
    }),
  );
}

describe('composition hints', () => {
  // Two subgraphs describing the same shared field differently: a hint.
  const hinted = () =>
    composeSdl(
      `type Query { thing: Thing }
       type Thing @key(fields: "id") { id: ID! "The name." name: String @shareable }`,
      `type Thing @key(fields: "id") { id: ID! "Another description." name: String @shareable }`,
    );

  it('the committed files list every accepted hint and acknowledged change with a reason', () => {
    const gateway = join(__dirname, '..');
    const { unaccepted } = reviewHints(
      composeSupergraph(SUBGRAPHS).hints,
      readAcceptedHints(join(gateway, 'composition-hints.json')),
    );
    expect(unaccepted).toEqual([]);
    expect(() =>
      readAcknowledgedChanges(join(gateway, 'breaking-changes.json')),
    ).not.toThrow();
  });

  it('fails on a hint nobody accepted', () => {
    const { hints } = hinted();
    expect(hints).toContainEqual(
      expect.objectContaining({
        code: 'INCONSISTENT_DESCRIPTION',
        element: 'Thing.name',
      }),
    );
    expect(reviewHints(hints, []).unaccepted).toHaveLength(hints.length);
  });

  it('passes a hint accepted with its code and element, and reports accepted hints no longer emitted', () => {
    const { hints } = hinted();
    const accepted = hints.map((h) => ({
      code: h.code,
      element: h.element,
      reason: 'the two teams word it for their own readers',
    }));
    const stale = {
      code: 'INCONSISTENT_DESCRIPTION',
      element: 'Gone.field',
      reason: 'old',
    };
    expect(reviewHints(hints, [...accepted, stale])).toEqual({
      unaccepted: [],
      stale: [stale],
    });
  });
});

describe('breaking changes against the committed supergraph', () => {
  const before = composeSdl(
    `type Query { standards: [Standard!]! }
     type Standard { id: ID! code: String! title: String! }`,
  ).supergraphSdl;

  it('reports a removed field as breaking', async () => {
    const after = composeSdl(
      `type Query { standards: [Standard!]! }
       type Standard { id: ID! code: String! }`,
    ).supergraphSdl;
    expect(await breakingChanges(before, after)).toEqual([
      expect.objectContaining({
        type: 'FIELD_REMOVED',
        path: 'Standard.title',
      }),
    ]);
  });

  it('does not report an added field', async () => {
    const after = composeSdl(
      `type Query { standards: [Standard!]! }
       type Standard { id: ID! code: String! title: String! level: Int }`,
    ).supergraphSdl;
    expect(await breakingChanges(before, after)).toEqual([]);
  });

  it('lets an acknowledged breaking change through, and only that one', async () => {
    const after = composeSdl(
      `type Query { standards: [Standard!]! }
       type Standard { id: ID! }`,
    ).supergraphSdl;
    const changes = await breakingChanges(before, after);
    expect(changes).toHaveLength(2);
    expect(
      unacknowledged(changes, [
        {
          type: 'FIELD_REMOVED',
          path: 'Standard.title',
          reason: 'no client reads it (usage reports)',
        },
      ]),
    ).toEqual([expect.objectContaining({ path: 'Standard.code' })]);
  });

  it('ignores federation machinery: composing the same schemas again is no change', async () => {
    const again = composeSupergraph(SUBGRAPHS).supergraphSdl;
    expect(
      await breakingChanges(readFileSync(SUPERGRAPH_PATH, 'utf8'), again),
    ).toEqual([]);
  });
});
