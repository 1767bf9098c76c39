import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompositionError,
  breakingChanges,
  composeSupergraph,
  readAcceptedHints,
  readAcknowledgedChanges,
  reviewHints,
  unacknowledged,
} from './compose';
import { SUBGRAPHS } from './subgraphs';

/**
 * Build step: composes every subgraph's schema.graphql into gateway/supergraph.graphql.
 * Fails (and writes nothing) on a composition error, on a composition hint not
 * accepted in composition-hints.json, or on a breaking change to the API schema
 * against the committed supergraph not acknowledged in breaking-changes.json.
 * `--check` writes nothing and also fails if the committed file is out of date (CI).
 */
const GATEWAY_DIR = join(__dirname, '..');
const SUPERGRAPH_PATH = join(GATEWAY_DIR, 'supergraph.graphql');
const HINTS_PATH = join(GATEWAY_DIR, 'composition-hints.json');
const BREAKING_PATH = join(GATEWAY_DIR, 'breaking-changes.json');
const check = process.argv.includes('--check');

async function main(): Promise<number> {
  const { supergraphSdl, hints } = composeSupergraph(SUBGRAPHS);

  const { unaccepted, stale } = reviewHints(
    hints,
    readAcceptedHints(HINTS_PATH),
  );
  for (const a of stale)
    console.warn(
      `compose: accepted hint ${a.code} ${a.element} is no longer emitted; remove it from composition-hints.json`,
    );
  if (unaccepted.length > 0) {
    console.error(
      `compose: ${unaccepted.length} composition hint(s) not accepted. Fix the subgraph schemas, or add { code, element, reason } to gateway/composition-hints.json:\n` +
        unaccepted
          .map(
            (h) => `  - ${h.code} ${h.element || '(no element)'}: ${h.message}`,
          )
          .join('\n'),
    );
    return 1;
  }

  const current = readFileSafe(SUPERGRAPH_PATH);
  if (current !== undefined && current !== supergraphSdl) {
    const breaking = unacknowledged(
      await breakingChanges(current, supergraphSdl),
      readAcknowledgedChanges(BREAKING_PATH),
    );
    if (breaking.length > 0) {
      console.error(
        `compose: ${breaking.length} breaking change(s) to the API schema against the committed supergraph. Keep the old fields (deprecate them), or add { type, path, reason } to gateway/breaking-changes.json:\n` +
          breaking
            .map((c) => `  - ${c.type} ${c.path}: ${c.message}`)
            .join('\n'),
      );
      return 1;
    }
  }

  if (check) {
    if (current !== supergraphSdl) {
      console.error(
        'compose: gateway/supergraph.graphql is out of date; run `npm run build` and commit it.',
      );
      return 1;
    }
    console.log('compose: supergraph.graphql is up to date');
  } else if (current !== supergraphSdl) {
    writeFileSync(SUPERGRAPH_PATH, supergraphSdl);
    console.log(
      `compose: wrote supergraph.graphql from ${SUBGRAPHS.length} subgraph(s)`,
    );
  }
  return 0;
}

function readFileSafe(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(
      err instanceof CompositionError ? err.message : `compose: ${String(err)}`,
    );
    process.exit(1);
  },
);
