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
import { SUBGRAPHS, type SubgraphDefinition } from './subgraphs';

/**
 * Build step: composes every subgraph's schema.graphql into gateway/supergraph.graphql.
 * Fails (and writes nothing) on a composition error, on a composition hint not
 * accepted in composition-hints.json, or on a breaking change to the API schema
 * against the committed supergraph not acknowledged in breaking-changes.json.
 * `--check` writes nothing and also fails if the committed file is out of date (CI).
 */
const GATEWAY_DIR = join(__dirname, '..');

/** What one run composes and where it reads and writes; tests point it at temp files. */
export interface ComposeRunOptions {
  /** Default: every subgraph of Conecta (SUBGRAPHS). */
  subgraphs?: readonly SubgraphDefinition[];
  /** The supergraph file compared against and written; default gateway/supergraph.graphql. */
  supergraphPath?: string;
  /** Default gateway/composition-hints.json. */
  hintsPath?: string;
  /** Default gateway/breaking-changes.json. */
  breakingPath?: string;
  /** `--check`: write nothing, fail if the file is out of date. Default false. */
  check?: boolean;
  /** Where messages go; default the console (log → stdout, warn/error → stderr). */
  console?: Pick<Console, 'log' | 'warn' | 'error'>;
}

/**
 * One run of the build step. Resolves to the process exit code: 0, or 1 after
 * printing why (a composition error included, so the build fails); writes the
 * supergraph file only when composition and every gate passed.
 */
export async function runCompose({
  subgraphs = SUBGRAPHS,
  supergraphPath = join(GATEWAY_DIR, 'supergraph.graphql'),
  hintsPath = join(GATEWAY_DIR, 'composition-hints.json'),
  breakingPath = join(GATEWAY_DIR, 'breaking-changes.json'),
  check = false,
  console: out = console,
}: ComposeRunOptions = {}): Promise<number> {
  try {
    return await compose();
  } catch (err) {
    out.error(
      err instanceof CompositionError ? err.message : `compose: ${String(err)}`,
    );
    return 1;
  }

  async function compose(): Promise<number> {
    const { supergraphSdl, hints } = composeSupergraph(subgraphs);

    const { unaccepted, stale } = reviewHints(
      hints,
      readAcceptedHints(hintsPath),
    );
    for (const a of stale)
      out.warn(
        `compose: accepted hint ${a.code} ${a.element} is no longer emitted; remove it from composition-hints.json`,
      );
    if (unaccepted.length > 0) {
      out.error(
        `compose: ${unaccepted.length} composition hint(s) not accepted. Fix the subgraph schemas, or add { code, element, reason } to gateway/composition-hints.json:\n` +
          unaccepted
            .map(
              (h) =>
                `  - ${h.code} ${h.element || '(no element)'}: ${h.message}`,
            )
            .join('\n'),
      );
      return 1;
    }

    const current = readFileSafe(supergraphPath);
    if (current !== undefined && current !== supergraphSdl) {
      const breaking = unacknowledged(
        await breakingChanges(current, supergraphSdl),
        readAcknowledgedChanges(breakingPath),
      );
      if (breaking.length > 0) {
        out.error(
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
        out.error(
          'compose: gateway/supergraph.graphql is out of date; run `npm run build` and commit it.',
        );
        return 1;
      }
      out.log('compose: supergraph.graphql is up to date');
    } else if (current !== supergraphSdl) {
      writeFileSync(supergraphPath, supergraphSdl);
      out.log(
        `compose: wrote supergraph.graphql from ${subgraphs.length} subgraph(s)`,
      );
    }
    return 0;
  }
}

function readFileSafe(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

// Run as `node dist/compose-cli.js [--check]` (npm run build, compose:check);
// imported by tests, it does nothing until runCompose is called.
if (require.main === module) {
  void runCompose({ check: process.argv.includes('--check') }).then((code) =>
    process.exit(code),
  );
}
