import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kind,
  buildASTSchema,
  getNamedType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type TypeNode,
} from 'graphql';
import { ACCESS as CERTIFICATION } from '../../../services/certification/src/domain/access-map';
import { ACCESS as COMMITTEES } from '../../../services/committees/src/domain/access-map';
import { ACCESS as OUTCOMES } from '../../../services/outcomes/src/domain/access-map';
import { ACCESS as PARTNERS } from '../../../services/partners/src/domain/access-map';
import { ACCESS as STANDARDS } from '../../../services/standards/src/domain/access-map';
import { ACCESS as TRAINING } from '../../../services/training/src/domain/access-map';

// The role × field matrix of issue 12, generated from the composed schema:
// which service resolves each field (the supergraph's join directives), the
// access rule each service declares for it (services/*/src/domain/access-map.ts),
// and every path from a root query (or a subgraph's `_entities`) to its type.

import type { AccessMap } from '@conecta/service-kit/access';

export type { AccessMap, Guard } from '@conecta/service-kit/access';
export type Access = AccessMap[string][string];

export const ACCESS_MAPS: Record<string, AccessMap> = {
  committees: COMMITTEES,
  standards: STANDARDS,
  certification: CERTIFICATION,
  training: TRAINING,
  outcomes: OUTCOMES,
  partners: PARTNERS,
};

const SUPERGRAPH = readFileSync(
  join(__dirname, '..', '..', 'supergraph.graphql'),
  'utf8',
);

/**
 * `Type.field` → the subgraphs that resolve it (Mutation left out: commands
 * authorize): its owners, and a subgraph where it is `@external` but that
 * `@provides` it somewhere (it answers the field on that path).
 */
export function resolvedFields(): Map<string, string[]> {
  const doc = parse(SUPERGRAPH);
  const graphs = new Map<string, string>();
  const arg = (d: { arguments?: readonly any[] }, name: string) =>
    d.arguments?.find((a) => a.name.value === name)?.value;
  for (const def of doc.definitions)
    if (
      def.kind === Kind.ENUM_TYPE_DEFINITION &&
      def.name.value === 'join__Graph'
    )
      for (const v of def.values ?? []) {
        const d = v.directives!.find((x) => x.name.value === 'join__graph')!;
        graphs.set(v.name.value, arg(d, 'name').value);
      }
  // `graph:Type.field` of every field a graph @provides.
  const provided = new Set<string>();
  for (const def of doc.definitions)
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION)
      for (const field of def.fields ?? [])
        for (const d of field.directives ?? []) {
          const provides = d.name.value === 'join__field' && arg(d, 'provides');
          if (!provides) continue;
          const type = getNamedTypeName(field.type);
          for (const name of provides.value.split(/\s+/).filter(Boolean))
            provided.add(
              `${graphs.get(arg(d, 'graph').value)}:${type}.${name}`,
            );
        }
  const out = new Map<string, string[]>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    if (def.name.value === 'Mutation') continue;
    const typeGraphs = (def.directives ?? [])
      .filter((d) => d.name.value === 'join__type')
      .map((d) => graphs.get(arg(d, 'graph').value)!);
    for (const field of def.fields ?? []) {
      const joins = (field.directives ?? []).filter(
        (d) => d.name.value === 'join__field' && arg(d, 'graph'),
      );
      const coordinate = `${def.name.value}.${field.name.value}`;
      const owners = joins.length
        ? joins
            .map((d) => graphs.get(arg(d, 'graph').value)!)
            .filter(
              (graph, i) =>
                arg(joins[i]!, 'external')?.value !== true ||
                provided.has(`${graph}:${coordinate}`),
            )
        : typeGraphs;
      out.set(coordinate, owners);
    }
  }
  return out;
}

/** The name of a field's type, lists and non-null unwrapped. */
function getNamedTypeName(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE
    ? type.name.value
    : getNamedTypeName(type.type);
}

/** The graph's API schema (the supergraph's types, join machinery ignored). */
export const apiSchema = (): GraphQLSchema =>
  buildASTSchema(parse(SUPERGRAPH), { assumeValidSDL: true });

/** One way from a root to a type: field names with their arguments. */
export interface Path {
  root: 'Query' | `_entities:${string}`;
  steps: { field: string; args?: string }[];
  type: string;
}

/**
 * Every acyclic path (no type twice) of at most `maxSteps` fields from `roots`
 * to an object type, following only fields `follow` allows and whose
 * arguments are all optional unless `rootArgs` gives them (first step only).
 */
export function pathsFrom(
  roots: { root: Path['root']; type: GraphQLObjectType }[],
  {
    maxSteps,
    rootArgs,
    follow,
  }: {
    maxSteps: number;
    rootArgs: Record<string, string[]>;
    follow: (type: string, field: string) => boolean;
  },
): Path[] {
  const paths: Path[] = [];
  const walk = (
    root: Path['root'],
    type: GraphQLObjectType,
    steps: Path['steps'],
    seen: Set<string>,
  ) => {
    paths.push({ root, steps, type: type.name });
    if (steps.length >= maxSteps) return;
    for (const field of Object.values(type.getFields()) as GraphQLField<
      unknown,
      unknown
    >[]) {
      const next = getNamedType(field.type);
      if (!isObjectType(next) || seen.has(next.name)) continue;
      if (!follow(type.name, field.name)) continue;
      const required = field.args.some(
        (a) => a.type.toString().endsWith('!') && a.defaultValue === undefined,
      );
      const variants =
        steps.length === 0 && root === 'Query'
          ? (rootArgs[field.name] ?? (required ? [] : ['']))
          : required
            ? []
            : [''];
      for (const args of variants)
        walk(
          root,
          next,
          [...steps, { field: field.name, ...(args && { args }) }],
          new Set([...seen, next.name]),
        );
    }
  };
  for (const { root, type } of roots)
    walk(root, type, [], new Set([type.name]));
  return paths;
}

/**
 * The selection of `leaf` at the end of `steps`: `__typename` inside an
 * object; a non-null value object (no id: a connection's `pageInfo`) cannot
 * be withheld as null, so its scalar fields are selected too and
 * {@link isWithheld} looks at them.
 */
export function selection(
  schema: GraphQLSchema,
  steps: Path['steps'],
  type: string,
  leaves: readonly string[],
): string {
  const object = schema.getType(type) as GraphQLObjectType;
  const inner = leaves
    .map((leaf) => {
      const field = object.getFields()[leaf]!;
      const named = getNamedType(field.type);
      if (!isObjectType(named)) return leaf;
      // An entity (it has an id) is withheld as null or by a refusal.
      if (!isNonNullType(field.type) || named.getFields()['id'])
        return `${leaf} { __typename }`;
      const scalars = Object.values(named.getFields())
        .filter((f) => !isObjectType(getNamedType(f.type)))
        .filter((f) => f.args.length === 0)
        .map((f) => f.name);
      return `${leaf} { __typename ${scalars.join(' ')} }`;
    })
    .join(' ');
  return steps.reduceRight(
    (acc, step) =>
      `${step.field}${step.args ? `(${step.args})` : ''} { ${acc} }`,
    inner,
  );
}

/** The values found at `keys` (an alias, then field names) in `data`, lists flattened; none when a parent is null. */
export function valuesAt(data: unknown, keys: readonly string[]): unknown[] {
  let current: unknown[] = [data];
  for (const key of keys) {
    current = current
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .filter((v): v is Record<string, unknown> => v !== null && v != undefined)
      .map((v) => v[key]);
  }
  return current;
}

/**
 * Whether a value is what a caller who may not read it gets: null, 0, an
 * empty list, or an object with `__typename` and more whose every other
 * field is withheld or `false` (the `pageInfo` of an empty connection).
 */
export const isWithheld = (value: unknown): boolean => {
  if (value === null || value === undefined || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value !== 'object') return false;
  const inside = Object.entries(value).filter(([k]) => k !== '__typename');
  return (
    inside.length > 0 && inside.every(([, v]) => v === false || isWithheld(v))
  );
};
