import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { SubgraphDefinition } from './subgraphs';

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Supergraph composition failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'CompositionError';
  }
}

/** A composed supergraph and the composition hints worth a reviewer's look. */
export interface Composition {
  supergraphSdl: string;
  hints: string[];
}

/**
 * Composes the subgraphs' SDL files with Apollo's composition library, as the
 * build does (no running services needed). Throws CompositionError listing every
 * problem.
 */
export function composeSupergraph(
  subgraphs: readonly SubgraphDefinition[],
): Composition {
  const result = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: parse(readFileSync(s.schemaPath, 'utf8')),
    })),
  );
  if (result.errors) {
    throw new CompositionError(result.errors.map((e) => e.message));
  }
  return {
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((h) => `${h.definition.code}: ${h.message}`),
  };
}
