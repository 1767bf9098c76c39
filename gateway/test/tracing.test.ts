import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import {
  ATTR_GRAPHQL_OPERATION_NAME,
  createLogger,
  loadConfig,
  startTracing,
} from '@conecta/service-kit';
import {
  ATTR_EVENT_TYPE,
  ATTR_MESSAGING_CONSUMER_GROUP,
  ATTR_MESSAGING_DESTINATION_NAME,
} from '@conecta/events';
import {
  TEST_IDENTITY_SECRET,
  eventually,
  startSubgraph,
  type StartedSubgraph,
} from '@conecta/test-kit';
import { outcomesConfig } from '../../services/outcomes/src/env';
import {
  createOutcomesService,
  type OutcomesService,
} from '../../services/outcomes/src/server';
import { issueToken } from '../src/auth';
import { parseGatewayConfig } from '../src/env';
import { createGatewayServer } from '../src/server';
import { ATTR_SUBGRAPH_NAME } from '../src/subgraph-source';
import { post } from './support/stub-subgraphs';

// Issue 16, item 7: one trace from an API mutation to the outcomes read
// model. The gateway and the outcomes subgraph (its relay and its consumer)
// run in this process on the real Kafka and MongoDB-wire server, sharing
// one tracer provider whose spans go to memory. recordPlacement is the
// shortest real path: outcomes stores the placement with its
// outcomes.PlacementRecorded event, relays it to its own topic, and its
// consumer folds it into the supply read model.

// First, before any service exists: the process's tracing (later
// startTracing calls, the services' own, share this one).
const exporter = new InMemorySpanExporter();
startTracing({
  serviceName: 'conecta-tracing-test',
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});

const JWT_SECRET = randomBytes(32).toString('hex');
const admin = { subject: 'admin-1', roles: ['admin' as const] };

let outcomes: StartedSubgraph<OutcomesService>;
let gateway: ReturnType<typeof createGatewayServer>;
let gatewayUrl: string;
const gatewayLogs: Record<string, unknown>[] = [];

beforeAll(async () => {
  outcomes = await startSubgraph({
    name: 'outcomes',
    label: 'gateway-tracing',
    config: (env) => loadConfig(outcomesConfig, env),
    create: createOutcomesService,
  });
  gateway = createGatewayServer(
    parseGatewayConfig({
      PORT: '0',
      IDENTITY_SECRET: TEST_IDENTITY_SECRET,
      JWT_SECRET,
      OUTCOMES_URL: outcomes.url,
      LOG_LEVEL: 'info',
    }),
    createLogger({
      name: 'gateway-tracing-test',
      level: 'info',
      destination: {
        write: (line: string) => void gatewayLogs.push(JSON.parse(line)),
      },
    }),
  );
  gatewayUrl = (await gateway.start(0)).replace('localhost', '127.0.0.1');
});

afterAll(async () => {
  await gateway?.stop();
  await outcomes?.stop();
});

const RECORD = /* GraphQL */ `
  mutation RecordPlacement($input: RecordPlacementInput!) {
    recordPlacement(input: $input) {
      id
      state
    }
  }
`;

const SUPPLY = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    supply(filter: $filter) {
      placed {
        value
      }
    }
  }
`;

/** recordPlacement's input: a developer hired in Jalisco, unique ids. */
function placement() {
  return {
    personId: crypto.randomUUID(),
    employerId: crypto.randomUUID(),
    jobTitle: 'Desarrolladora de software',
    sectorId: crypto.randomUUID(),
    state: 'MX-JAL',
    startDate: '2025-02-03',
    salaryBefore: 1_100_000,
    salaryAfter: 1_900_000,
  };
}

const kindOf = (span: ReadableSpan) => span.kind;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

describe('one trace from an API mutation to the outcomes read model', () => {
  it('links the gateway, the subgraph, the outbox relay and the consumer’s read-model update', async () => {
    const token = await issueToken(
      { sub: 'broker-1', roles: ['broker'] },
      { secret: JWT_SECRET, issuer: 'conecta', audience: 'conecta-api' },
    );
    const answer = await post(
      gatewayUrl,
      { query: RECORD, variables: { input: placement() } },
      { authorization: `Bearer ${token}` },
    );
    expect(answer.body.errors).toBeUndefined();
    const placementId = answer.body.data.recordPlacement.id as string;

    // The gateway's SERVER span is the root of the trace (it ends as the
    // response is closed, just after the client has it).
    const root = await eventually(async () =>
      exporter
        .getFinishedSpans()
        .find(
          (span) =>
            kindOf(span) === SpanKind.SERVER &&
            span.attributes[ATTR_GRAPHQL_OPERATION_NAME] ===
              'RecordPlacement' &&
            !span.parentSpanContext,
        ),
    );
    const traceId = root.spanContext().traceId;
    const inTrace = () =>
      exporter
        .getFinishedSpans()
        .filter((span) => span.spanContext().traceId === traceId);

    // The consumer's span ends once the batch is folded into the read model.
    const topic = `${outcomes.infra.topicPrefix}conecta.outcomes.events`;
    const consumed = await eventually(async () =>
      inTrace().find(
        (span) =>
          kindOf(span) === SpanKind.CONSUMER &&
          span.attributes[ATTR_EVENT_TYPE] === 'outcomes.PlacementRecorded',
      ),
    );
    const spans = inTrace();
    const byId = new Map(spans.map((span) => [idOf(span), span]));
    const ancestors = (span: ReadableSpan): ReadableSpan[] => {
      const parent = byId.get(parentOf(span) ?? '');
      return parent ? [parent, ...ancestors(parent)] : [];
    };

    // gateway SERVER → (Apollo's plan/execute spans) → CLIENT span of the
    // outcomes fetch → outcomes' SERVER span, its direct child.
    const fetch = spans.find(
      (span) =>
        kindOf(span) === SpanKind.CLIENT &&
        span.attributes[ATTR_SUBGRAPH_NAME] === 'outcomes',
    );
    expect(fetch).toBeDefined();
    expect(ancestors(fetch!)).toContain(root);
    const subgraph = spans.find(
      (span) =>
        kindOf(span) === SpanKind.SERVER && parentOf(span) === idOf(fetch!),
    );
    expect(subgraph).toMatchObject({ name: 'POST /graphql' });

    // The outbox stored the subgraph request's context with the event; the
    // relay's PRODUCER span is its child, and carried its own context in the
    // message headers: the consumer's span is the producer span's child.
    const send = spans.find((span) => kindOf(span) === SpanKind.PRODUCER);
    expect(send).toMatchObject({
      name: `send ${topic}`,
      attributes: expect.objectContaining({
        [ATTR_MESSAGING_DESTINATION_NAME]: topic,
        [ATTR_EVENT_TYPE]: 'outcomes.PlacementRecorded',
      }),
    });
    expect(parentOf(send!)).toBe(idOf(subgraph!));
    expect(consumed).toMatchObject({
      name: `process ${topic}`,
      attributes: expect.objectContaining({
        [ATTR_MESSAGING_CONSUMER_GROUP]: `${outcomes.infra.topicPrefix}outcomes`,
      }),
    });
    expect(parentOf(consumed)).toBe(idOf(send!));
    expect(ancestors(consumed)).toEqual(
      expect.arrayContaining([send, subgraph, fetch, root]),
    );
    // Everything in order in time: the consumer ends after the request began
    // (HrTime is [seconds, nanoseconds]: compared as numbers, not as arrays,
    // which `>=` would compare as strings).
    const nanos = ([seconds, nanoseconds]: readonly [number, number]) =>
      seconds * 1e9 + nanoseconds;
    expect(nanos(consumed.endTime)).toBeGreaterThanOrEqual(
      nanos(root.startTime),
    );

    // The span ended after the read model changed: the placement is counted.
    const supply = await outcomes.client.ok(
      SUPPLY,
      {
        filter: {
          from: '2025-01-01',
          to: '2025-03-31',
          granularity: 'QUARTER',
        },
      },
      admin,
    );
    expect(supply.supply.map((p: any) => p.placed.value)).toEqual([1]);
    expect(placementId).toBeTruthy();

    // The gateway's log line for the request names the trace.
    expect(
      gatewayLogs.find((line) => line['msg'] === 'graphql request'),
    ).toMatchObject({ traceId, operation: 'RecordPlacement' });
  });
});
