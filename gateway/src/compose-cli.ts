import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph, CompositionError } from './compose';
import { SUBGRAPHS } from './subgraphs';

/**
 * Build step: composes every subgraph's schema.graphql into gateway/supergraph.graphql.
 * `--check` writes nothing and fails if the committed file is out of date (CI).
 * A composition error fails the build with every problem listed.
 */
const SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');
const check = process.argv.includes('--check');

try {
  const { supergraphSdl, hints } = composeSupergraph(SUBGRAPHS);
  for (const hint of hints) console.warn(`compose: hint ${hint}`);
  const current = readFileSafe(SUPERGRAPH_PATH);
  if (check) {
    if (current !== supergraphSdl) {
      console.error(
        'compose: gateway/supergraph.graphql is out of date; run `npm run build` and commit it.',
      );
      process.exit(1);
    }
    console.log('compose: supergraph.graphql is up to date');
  } else if (current !== supergraphSdl) {
    writeFileSync(SUPERGRAPH_PATH, supergraphSdl);
    console.log(
      `compose: wrote supergraph.graphql from ${SUBGRAPHS.length} subgraph(s)`,
    );
  }
} catch (err) {
  console.error(
    err instanceof CompositionError ? err.message : `compose: ${String(err)}`,
  );
  process.exit(1);
}

function readFileSafe(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
