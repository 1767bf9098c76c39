import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCompose } from '../src/compose-cli';
import { SUPERGRAPH_PATH } from '../src/server';
import type { SubgraphDefinition } from '../src/subgraphs';

// The build step (`npm run build` → compose-cli) must fail, print why and
// write nothing when the subgraphs do not compose. It runs here on temp files:
// gateway/supergraph.graphql is never touched.
const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])`;

/** Subgraph definitions for SDL files written to `dir` (subgraphs a, b, …). */
function subgraphsOf(dir: string, ...sdls: string[]): SubgraphDefinition[] {
  return sdls.map((sdl, i) => {
    const schemaPath = join(dir, `s${i}.graphql`);
    writeFileSync(schemaPath, `${FEDERATION}\n${sdl}`);
    return {
      name: String.fromCharCode(97 + i),
      schemaPath,
      url: `http://localhost:${9_000 + i}/graphql`,
    };
  });
}

/** A console that records what the run printed. */
function recordingConsole() {
  const lines = {
    log: [] as string[],
    warn: [] as string[],
    error: [] as string[],
  };
  return {
    lines,
    console: {
      log: (message: string) => lines.log.push(message),
      warn: (message: string) => lines.warn.push(message),
      error: (message: string) => lines.error.push(message),
    },
  };
}

describe('the compose build step (compose-cli)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'compose-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1, prints the composition error and writes no supergraph when two subgraphs clash', async () => {
    const committed = readFileSync(SUPERGRAPH_PATH, 'utf8');
    const supergraphPath = join(dir, 'supergraph.graphql');
    const out = recordingConsole();

    const code = await runCompose({
      subgraphs: subgraphsOf(
        dir,
        'type Organization @key(fields: "id") { id: ID! name: String! } type Query { organization: Organization }',
        'type Organization @key(fields: "id") { id: ID! name: Int } type Query { organizations: [Organization] }',
      ),
      supergraphPath,
      console: out.console,
    });

    expect(code).toBe(1);
    expect(out.lines.error).toHaveLength(1);
    expect(out.lines.error[0]).toMatch(/^Supergraph composition failed:\n/);
    expect(out.lines.error[0]).toMatch(/Organization\.name/);
    expect(out.lines.log).toEqual([]);
    expect(existsSync(supergraphPath)).toBe(false);
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(committed);
  });

  it('leaves an existing supergraph file as it was when composition fails', async () => {
    const supergraphPath = join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, '# the last good supergraph\n');
    const out = recordingConsole();

    const code = await runCompose({
      subgraphs: subgraphsOf(
        dir,
        'type Query { ping: String }',
        'type Query { ping: Int }',
      ),
      supergraphPath,
      console: out.console,
    });

    expect(code).toBe(1);
    expect(out.lines.error[0]).toMatch(/Supergraph composition failed/);
    expect(readFileSync(supergraphPath, 'utf8')).toBe(
      '# the last good supergraph\n',
    );
  });

  it('writes the supergraph and exits 0 when the subgraphs compose', async () => {
    const supergraphPath = join(dir, 'supergraph.graphql');
    const hintsPath = join(dir, 'composition-hints.json');
    writeFileSync(hintsPath, JSON.stringify({ accepted: [] }));
    const out = recordingConsole();

    const code = await runCompose({
      subgraphs: subgraphsOf(
        dir,
        'type Organization @key(fields: "id") { id: ID! name: String! } type Query { organization: Organization }',
        'type Organization @key(fields: "id") { id: ID! rfc: String } type Query { organizations: [Organization] }',
      ),
      supergraphPath,
      hintsPath,
      console: out.console,
    });

    expect(out.lines.error).toEqual([]);
    expect(code).toBe(0);
    expect(out.lines.log).toEqual([
      'compose: wrote supergraph.graphql from 2 subgraph(s)',
    ]);
    expect(readFileSync(supergraphPath, 'utf8')).toMatch(/name: "b"/);
  });
});
