import type {
  ApolloGateway,
  Experimental_DidResolveQueryPlanCallback,
  GraphQLDataSource,
  GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
// The enum's values are not exported from the package's entry point.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { Supergraph } from '@apollo/federation-internals';
import {
  Kind,
  getNamedType,
  getVariableValues,
  isEnumType,
  isObjectType,
  isScalarType,
  parse,
  print,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from './context';

// What @apollo/gateway's executor is given and gives back.
type Executor = ApolloGateway['executor'];
type GatewayInterface = Pick<
  ApolloGateway,
  'onSchemaLoadOrUpdate' | 'load' | 'stop'
>;
type RequestContext = Parameters<Executor>[0];
type Resolved = Parameters<Experimental_DidResolveQueryPlanCallback>[0];
type PlanNode = NonNullable<Resolved['queryPlan']['node']>;
type FetchNode = Extract<PlanNode, { kind: 'Fetch' }>;
type IncomingOperation = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION }
>;
type SubgraphResponse = Awaited<
  ReturnType<GraphQLDataSource<GatewayContext>['process']>
>;

/** An operation whose plan is one fetch whose data is already the answer. */
interface AsSent {
  fetch: FetchNode;
  operation: OperationDefinitionNode;
}

// The directives a client may put in an operation answered as sent: both
// sides evaluate them the same way with the same variables.
const CONDITIONS: ReadonlySet<string> = new Set(['skip', 'include']);

/**
 * Answers a query whose query plan is a single fetch with that subgraph's
 * `data` as it arrives, without @apollo/gateway's result shaping
 * (`computeResponse`, with `operationFromDocument` before it: a copy of every
 * value, walked against the operation — demand trends' profile spent 15 % of
 * its samples there), when the shaping provably changes nothing:
 *
 * - the plan is one `Fetch` of a query (no `Sequence`, `Parallel`,
 *   `Flatten`, `Condition` or `@defer`), with no `requires` and no input,
 *   output or context rewrites (renamed fields, `@interfaceObject`,
 *   `@fromContext`);
 * - the fetch selects exactly what the client selected (fragments expanded
 *   on both sides, then printed): the planner added nothing (`__typename`,
 *   keys) and reordered, merged or dropped nothing, so the subgraph's answer
 *   has the operation's keys in the operation's order, aliases included;
 * - every selected field has the same type in the subgraph as in the API
 *   schema (so a null the subgraph may send is one the API allows), every
 *   object is an object type on both sides (no interface or union, so no
 *   `__typename` to check or fragment to choose by it), every enum value the
 *   subgraph can send is one the API has (none `@inaccessible`), no
 *   introspection field and no `__typename` on the root type (a subgraph may
 *   name its root types otherwise);
 * - the subgraph answered `data` with no `errors`.
 *
 * Anything else — a plan that is not one fetch, an answer with errors (their
 * paths, null bubbling), a request asking for the query plan or for traces —
 * goes through @apollo/gateway's executor unchanged; an answer already
 * received is handed to it by the data source instead of being fetched
 * again. What an operation may skip is decided once per parsed document
 * (Apollo's document store keeps it) and operation name, from the plan
 * Apollo resolved for the first request, and forgotten when the supergraph
 * changes. What is skipped besides the shaping: Apollo's executor spans
 * (`gateway.request`, `gateway.execute`, …), which only a tracing exporter
 * would see; the request's server span and the fetch's client span remain.
 */
export function createSingleFetchShortcut() {
  let decided = new WeakMap<DocumentNode, Map<string, AsSent | null>>();
  let subgraphSchemas = new Map<string, GraphQLSchema>();
  let supergraphSdl: string | undefined;
  const sources = new Map<string, GraphQLDataSource<GatewayContext>>();
  // Answers received by the shortcut that Apollo's executor must shape after
  // all (they had errors): served to its fetch instead of a second call.
  const received = new WeakMap<
    object,
    { query: string; response: SubgraphResponse }
  >();
  let answeredAsSent = 0;

  const singleFetch = {
    /** How many answers were a subgraph's data as sent (tests read it). */
    answeredAsSent: () => answeredAsSent,

    /**
     * The gateway for Apollo Server: `gateway`, whose executor is preceded by
     * the shortcut, and whose every supergraph (loaded before the first
     * request) gives the subgraphs' schemas as the planner sees them (about
     * 0.2 s for Conecta's, once) and forgets what was decided.
     */
    gateway(gateway: ApolloGateway): GatewayInterface {
      gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
        if (coreSupergraphSdl === supergraphSdl) return;
        supergraphSdl = coreSupergraphSdl;
        decided = new WeakMap();
        subgraphSchemas = new Map();
        // Apollo validated this supergraph as it loaded it (and logs an error
        // thrown here: no subgraph schema, no shortcut).
        const supergraph = Supergraph.build(coreSupergraphSdl, {
          validateSupergraph: false,
        });
        for (const subgraph of supergraph.subgraphs())
          subgraphSchemas.set(
            subgraph.name,
            subgraph.schema.toGraphQLJSSchema(),
          );
      });
      return {
        onSchemaLoadOrUpdate: (callback) =>
          gateway.onSchemaLoadOrUpdate(callback),
        load: async (options) => {
          const loaded = await gateway.load(options);
          return { ...loaded, executor: shortcut(loaded.executor) };
        },
        stop: () => gateway.stop(),
      };
    },

    /**
     * The subgraph's data source as Apollo's executor gets it: the same,
     * except that a fetch whose answer the shortcut already received is
     * answered with it.
     */
    source(
      name: string,
      source: GraphQLDataSource<GatewayContext>,
    ): GraphQLDataSource<GatewayContext> {
      sources.set(name, source);
      return {
        process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
          if ('incomingRequestContext' in options) {
            const kept = received.get(options.incomingRequestContext);
            if (kept && kept.query === options.request.query) {
              received.delete(options.incomingRequestContext);
              return Promise.resolve(kept.response);
            }
          }
          return source.process(options);
        },
      };
    },

    /** `experimental_didResolveQueryPlan`: decides once per document and operation name. */
    didResolveQueryPlan({
      queryPlan,
      requestContext,
      operationContext,
    }: Resolved): void {
      const { document } = requestContext;
      const name = requestContext.request.operationName ?? '';
      let byName = decided.get(document);
      if (byName?.has(name)) return;
      if (!byName) decided.set(document, (byName = new Map()));
      const fetch = queryPlan.node;
      const subgraph =
        fetch?.kind === 'Fetch'
          ? subgraphSchemas.get(fetch.serviceName)
          : undefined;
      byName.set(
        name,
        fetch?.kind === 'Fetch' &&
          subgraph &&
          answerIsSent(
            fetch,
            operationContext.operation,
            operationContext.fragments,
            operationContext.schema,
            subgraph,
          )
          ? { fetch, operation: operationContext.operation }
          : null,
      );
    },
  };

  return singleFetch;

  /** Apollo's executor, preceded by the shortcut where it applies. */
  function shortcut(inner: Executor): Executor {
    return async (requestContext: RequestContext) => {
      const { request, document } = requestContext;
      const asSent = decided.get(document)?.get(request.operationName ?? '');
      const source = asSent && sources.get(asSent.fetch.serviceName);
      if (
        !asSent ||
        !source ||
        requestContext.metrics?.captureTraces ||
        request.http?.headers.get('apollo-query-plan-experimental')
      )
        return inner(requestContext);
      // Apollo's executor checks the variables first (its
      // validateIncomingRequest); an error is its to answer.
      const { fetch, operation } = asSent;
      if (
        operation.variableDefinitions &&
        getVariableValues(
          requestContext.schema,
          operation.variableDefinitions,
          request.variables ?? {},
        ).errors
      )
        return inner(requestContext);
      // The fetch exactly as @apollo/gateway's executeFetch sends it.
      const variables: Record<string, unknown> = Object.create(null);
      const provided = request.variables ?? {};
      for (const variable of fetch.variableUsages ?? [])
        if (
          Object.hasOwn(provided, variable) &&
          provided[variable] !== undefined
        )
          variables[variable] = provided[variable];
      const response = await source.process({
        kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
        request: {
          query: fetch.operation,
          variables,
          operationName: fetch.operationName,
        },
        // The request's context is the gateway's (server.ts builds it).
        incomingRequestContext:
          requestContext as IncomingOperation['incomingRequestContext'],
        context: requestContext.context as GatewayContext,
        document: fetch.operationDocumentNode,
        pathInIncomingRequest: [],
      });
      const { data } = response;
      if (
        response.errors === undefined &&
        typeof data === 'object' &&
        data !== null &&
        !Array.isArray(data)
      ) {
        answeredAsSent += 1;
        return { data };
      }
      received.set(requestContext, { query: fetch.operation, response });
      return inner(requestContext);
    };
  }
}

/** Whether the fetch's data, when it has no errors, is the client's answer. */
function answerIsSent(
  fetch: FetchNode,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  api: GraphQLSchema,
  subgraph: GraphQLSchema,
): boolean {
  if (
    operation.operation !== 'query' ||
    (operation.directives?.length ?? 0) > 0 ||
    fetch.operationKind !== 'query' ||
    fetch.requires ||
    fetch.hasDefers ||
    fetch.inputRewrites?.length ||
    fetch.outputRewrites?.length ||
    fetch.contextRewrites?.length
  )
    return false;
  const sent = fetch.operationDocumentNode ?? parse(fetch.operation);
  const sentOperation = sent.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const sentFragments = Object.fromEntries(
    sent.definitions
      .filter(
        (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((d) => [d.name.value, d]),
  );
  const asked = expand(operation.selectionSet, fragments);
  if (!sentOperation || !asked) return false;
  const sentSelection = expand(sentOperation.selectionSet, sentFragments);
  const apiRoot = api.getQueryType();
  const subgraphRoot = subgraph.getQueryType();
  return (
    sentSelection !== undefined &&
    print(asked) === print(sentSelection) &&
    apiRoot !== null &&
    apiRoot !== undefined &&
    subgraphRoot !== null &&
    subgraphRoot !== undefined &&
    sameShape(asked, apiRoot, subgraphRoot, true)
  );
}

/**
 * The selection set with every fragment spread replaced by the inline
 * fragment it stands for; undefined if a directive other than @skip or
 * @include appears (or a fragment is missing).
 */
function expand(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
): SelectionSetNode | undefined {
  const selections: SelectionNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.directives?.some((d) => !CONDITIONS.has(d.name.value)))
      return undefined;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments[selection.name.value];
      if (!fragment || (fragment.directives?.length ?? 0) > 0) return undefined;
      const inner = expand(fragment.selectionSet, fragments);
      if (!inner) return undefined;
      selections.push({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: fragment.typeCondition,
        directives: selection.directives ?? [],
        selectionSet: inner,
      });
      continue;
    }
    if (!selection.selectionSet) {
      selections.push(selection);
      continue;
    }
    const inner = expand(selection.selectionSet, fragments);
    if (!inner) return undefined;
    selections.push({ ...selection, selectionSet: inner });
  }
  return { kind: Kind.SELECTION_SET, selections };
}

/**
 * Whether every field selected has the same type in the subgraph as in the
 * API, objects all the way down, enums the subgraph can send all accepted by
 * the API.
 */
function sameShape(
  selectionSet: SelectionSetNode,
  api: GraphQLObjectType,
  subgraph: GraphQLObjectType,
  isRoot: boolean,
): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      if (condition !== undefined && condition !== api.name) return false;
      if (!sameShape(selection.selectionSet, api, subgraph, isRoot))
        return false;
      continue;
    }
    if (selection.kind !== Kind.FIELD) return false;
    const name = selection.name.value;
    if (name === '__typename') {
      if (isRoot || api.name !== subgraph.name) return false;
      continue;
    }
    if (name.startsWith('__')) return false;
    const apiField = api.getFields()[name];
    const subgraphField = subgraph.getFields()[name];
    if (!apiField || !subgraphField) return false;
    if (String(apiField.type) !== String(subgraphField.type)) return false;
    const apiType = getNamedType(apiField.type);
    const subgraphType = getNamedType(subgraphField.type);
    if (isObjectType(apiType) && isObjectType(subgraphType)) {
      if (
        !selection.selectionSet ||
        !sameShape(selection.selectionSet, apiType, subgraphType, false)
      )
        return false;
    } else if (isEnumType(apiType) && isEnumType(subgraphType)) {
      const accepted = new Set(apiType.getValues().map((v) => v.name));
      if (!subgraphType.getValues().every((v) => accepted.has(v.name)))
        return false;
    } else if (!(isScalarType(apiType) && isScalarType(subgraphType))) {
      return false;
    }
  }
  return true;
}
