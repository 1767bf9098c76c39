import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeSupergraph, CompositionError } from '../src/compose';
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
