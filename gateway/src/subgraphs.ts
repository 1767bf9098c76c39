import { join } from 'node:path';

/** A subgraph the gateway composes: where its contract is and where it listens. */
export interface SubgraphDefinition {
  /** Name in the supergraph (join__Graph). */
  name: string;
  /** Its schema.graphql, the contract composed at build time. */
  schemaPath: string;
  /** Default URL in dev; overridden at run time by `<NAME>_URL`. */
  url: string;
}

const SERVICES_DIR = join(__dirname, '..', '..', 'services');

/**
 * Every subgraph of Conecta. Adding a service: add it here with its port
 * (DESIGN.md §5), then `npm run build` recomposes supergraph.graphql.
 */
export const SUBGRAPHS: readonly SubgraphDefinition[] = [
  {
    name: 'committees',
    schemaPath: join(SERVICES_DIR, 'committees', 'schema.graphql'),
    url: 'http://localhost:4001/graphql',
  },
  {
    name: 'certification',
    schemaPath: join(SERVICES_DIR, 'certification', 'schema.graphql'),
    url: 'http://localhost:4003/graphql',
  },
  {
    name: 'standards',
    schemaPath: join(SERVICES_DIR, 'standards', 'schema.graphql'),
    url: 'http://localhost:4002/graphql',
  },
  {
    name: 'training',
    schemaPath: join(SERVICES_DIR, 'training', 'schema.graphql'),
    url: 'http://localhost:4004/graphql',
  },
  {
    name: 'outcomes',
    schemaPath: join(SERVICES_DIR, 'outcomes', 'schema.graphql'),
    url: 'http://localhost:4005/graphql',
  },
  {
    name: 'partners',
    schemaPath: join(SERVICES_DIR, 'partners', 'schema.graphql'),
    url: 'http://localhost:4006/graphql',
  },
];

/** The env variable that overrides a subgraph's URL, e.g. COMMITTEES_URL. */
export function urlVariable(name: string): string {
  return `${name.toUpperCase()}_URL`;
}

/** The env variable that overrides a subgraph's timeout, e.g. COMMITTEES_TIMEOUT_MS. */
export function timeoutVariable(name: string): string {
  return `${name.toUpperCase()}_TIMEOUT_MS`;
}
