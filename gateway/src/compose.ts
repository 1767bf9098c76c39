import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { parse, type GraphQLSchema } from 'graphql';
import { z } from 'zod';
import type { SubgraphDefinition } from './subgraphs';

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Supergraph composition failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'CompositionError';
  }
}

/** One composition hint: its code, the schema element it is about, and what it says. */
export interface CompositionHint {
  code: string;
  /** Schema coordinate (`Type.field`), or '' when the hint names none. */
  element: string;
  message: string;
}

/** A composed supergraph and the composition hints worth a reviewer's look. */
export interface Composition {
  supergraphSdl: string;
  hints: CompositionHint[];
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
    hints: result.hints.map((h) => ({
      code: h.definition.code,
      element: h.coordinate ?? h.element?.coordinate ?? '',
      message: h.message,
    })),
  };
}

const acceptedHintsSchema = z.object({
  accepted: z.array(
    z.object({
      code: z.string().min(1),
      element: z.string(),
      reason: z.string().min(1, 'say why the hint is acceptable'),
    }),
  ),
});

export type AcceptedHint = z.output<
  typeof acceptedHintsSchema
>['accepted'][number];

/** Reads gateway/composition-hints.json: `{ "accepted": [{ code, element, reason }] }`. */
export function readAcceptedHints(path: string): AcceptedHint[] {
  return acceptedHintsSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
    .accepted;
}

/**
 * Hints nobody accepted (they fail the build) and accepted hints composition no
 * longer emits (worth deleting from the file).
 */
export function reviewHints(
  hints: readonly CompositionHint[],
  accepted: readonly AcceptedHint[],
): { unaccepted: CompositionHint[]; stale: AcceptedHint[] } {
  const matches = (h: CompositionHint, a: AcceptedHint) =>
    h.code === a.code && h.element === a.element;
  return {
    unaccepted: hints.filter((h) => !accepted.some((a) => matches(h, a))),
    stale: accepted.filter((a) => !hints.some((h) => matches(h, a))),
  };
}

/** The schema clients see: the supergraph without federation's machinery. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** A breaking change, as graphql-inspector names it. */
export interface BreakingChange {
  type: string;
  /** Schema coordinate, e.g. `Organization.taxId`. */
  path: string;
  message: string;
}

/**
 * The breaking changes (graphql-inspector's BREAKING criticality: removed
 * fields and types, narrowed arguments…) from one supergraph's API schema to
 * another's. Additions are not breaking.
 */
export async function breakingChanges(
  previousSupergraphSdl: string,
  nextSupergraphSdl: string,
): Promise<BreakingChange[]> {
  const changes: Change[] = await diff(
    apiSchemaOf(previousSupergraphSdl),
    apiSchemaOf(nextSupergraphSdl),
  );
  return changes
    .filter((c) => c.criticality.level === CriticalityLevel.Breaking)
    .map((c) => ({ type: c.type, path: c.path ?? '', message: c.message }));
}

const acknowledgedSchema = z.object({
  acknowledged: z.array(
    z.object({
      type: z.string().min(1),
      path: z.string(),
      reason: z.string().min(1, 'say why clients can cope with the change'),
    }),
  ),
});

export type AcknowledgedChange = z.output<
  typeof acknowledgedSchema
>['acknowledged'][number];

/** Reads gateway/breaking-changes.json: `{ "acknowledged": [{ type, path, reason }] }`. */
export function readAcknowledgedChanges(path: string): AcknowledgedChange[] {
  return acknowledgedSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
    .acknowledged;
}

/** The breaking changes nobody acknowledged: they fail the build. */
export function unacknowledged(
  changes: readonly BreakingChange[],
  acknowledged: readonly AcknowledgedChange[],
): BreakingChange[] {
  return changes.filter(
    (c) => !acknowledged.some((a) => a.type === c.type && a.path === c.path),
  );
}
