import type { Operation, Schema } from '@apollo/federation-internals';
import {
  Kind,
  type DefinitionNode,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';

type OperationFromDocument = (
  schema: Schema,
  document: DocumentNode,
  options?: { operationName?: string; validate?: boolean },
) => Operation;

/** The module whose export @apollo/gateway's executor calls (through the package's index, a getter). */
interface OperationsModule {
  operationFromDocument: OperationFromDocument & { remembering?: true };
}

/** What was built for one operation node of one API schema, and from which fragment nodes. */
interface Remembered {
  fragments: readonly DefinitionNode[];
  operation: Operation;
}

/**
 * Makes `@apollo/gateway`'s executor build each operation once per parsed
 * document instead of on every request. Its `executeQueryPlan` calls
 * `operationFromDocument(apiSchema, { definitions: [operation,
 * ...fragments] }, { validate: false })` on a document it assembles per
 * request from the nodes of the document Apollo Server keeps in its
 * document store, only to shape the result (`computeResponse`, which only
 * reads the operation): 3–4 % of the samples of the five-service standard at
 * 50 connections. The operation depends only on the schema and those nodes,
 * so it is remembered per API schema (a new supergraph has a new one) and per
 * operation node, for the same fragment nodes; both maps are weak, so a
 * document Apollo drops from its store is forgotten too. Any other call (the
 * query planner's, with validation) is passed through unchanged, and a call
 * that throws remembers nothing.
 *
 * Replaces the export of `@apollo/federation-internals/dist/operations`
 * (a writable property; the package index re-exports it with a getter, which
 * is how the executor reads it on each call), once per process: the
 * federation packages are pinned with `@apollo/gateway` in package.json and
 * `test/executor-operations.test.ts` fails if they change.
 */
export function rememberExecutorOperations(): void {
  const operations =
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module of @apollo/federation-internals, whose export is replaced
    require('@apollo/federation-internals/dist/operations') as OperationsModule;
  const build = operations.operationFromDocument;
  if (build.remembering) return;
  const bySchema = new WeakMap<
    Schema,
    WeakMap<OperationDefinitionNode, Remembered>
  >();
  const remembering: OperationsModule['operationFromDocument'] = (
    schema,
    document,
    options,
  ) => {
    const [first, ...fragments] = document.definitions;
    if (
      options?.validate !== false ||
      options.operationName !== undefined ||
      first?.kind !== Kind.OPERATION_DEFINITION ||
      !fragments.every(({ kind }) => kind === Kind.FRAGMENT_DEFINITION)
    )
      return build(schema, document, options);
    let byOperation = bySchema.get(schema);
    if (!byOperation) {
      byOperation = new WeakMap();
      bySchema.set(schema, byOperation);
    }
    const known = byOperation.get(first);
    if (
      known &&
      known.fragments.length === fragments.length &&
      known.fragments.every((fragment, i) => fragment === fragments[i])
    )
      return known.operation;
    const operation = build(schema, document, options);
    byOperation.set(first, { fragments, operation });
    return operation;
  };
  remembering.remembering = true;
  operations.operationFromDocument = remembering;
}
