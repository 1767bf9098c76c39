import { v7 as uuidv7 } from 'uuid';
import { readEvents } from '@conecta/test-kit';
import { createBatchApplier } from '../../src/events/apply';
import { readModelsOf } from '../../src/store';
import { eventMother as events } from '../fixtures/mothers';
import {
  admin,
  anonymous,
  startOutcomes,
  university,
  type RunningOutcomes,
} from '../fixtures/service';

let running: RunningOutcomes;
const client = () => running.client;

beforeAll(async () => {
  running = await startOutcomes('outcomes-analytics');
});

afterAll(() => running?.stop());

const DEMAND = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    demandTrends(filter: $filter) {
      period
      start
      requestedHeadcount {
        value
        suppressed
      }
      requests {
        value
        suppressed
      }
      growthRate
    }
  }
`;

const SUPPLY_AND_FUNNEL = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    supply(filter: $filter) {
      period
      trained {
        value
        suppressed
      }
      completed {
        value
        suppressed
      }
      certified {
        value
        suppressed
      }
    }
    funnel(filter: $filter) {
      trained {
        value
      }
      completed {
        value
      }
      certified {
        value
        suppressed
      }
      completionRate
      certificationRate
    }
  }
`;

describe('demand trends', () => {
  const standardId = uuidv7();
  const filter = {
    from: '2023-01-01',
    to: '2025-12-31',
    granularity: 'YEAR',
    standardId,
  };

  it('sums requested headcount per period from DemandRequested events, counting a redelivered event once', async () => {
    const requests = [
      events.demandRequested('2023-03-10T12:00:00Z', 40, { standardId }),
      events.demandRequested('2024-05-02T12:00:00Z', 30, { standardId }),
      events.demandRequested('2024-09-20T12:00:00Z', 30, {
        standardId,
        state: 'MX-NLE',
      }),
      events.demandRequested('2025-01-15T12:00:00Z', 3, { standardId }),
    ];
    // The first event is delivered twice, the second time after later ones.
    await running.publish(...requests, requests[0]!);
    await running.caughtUp();

    const { demandTrends } = await client().ok(DEMAND, { filter }, admin);
    expect(
      demandTrends.map((p: any) => [
        p.period,
        p.requestedHeadcount.value,
        p.requests.value,
        p.growthRate,
      ]),
    ).toEqual([
      ['2023', 40, 1, null],
      ['2024', 60, 2, 0.5],
      ['2025', 3, 1, -0.95],
    ]);
    expect(demandTrends[0].start).toBe('2023-01-01');
  });

  it('filters by state and by month', async () => {
    const { demandTrends } = await client().ok(
      DEMAND,
      {
        filter: {
          ...filter,
          from: '2024-08-01',
          to: '2024-10-31',
          granularity: 'MONTH',
          state: 'MX-NLE',
        },
      },
      admin,
    );
    expect(
      demandTrends.map((p: any) => [p.period, p.requestedHeadcount.value]),
    ).toEqual([
      ['2024-08', 0],
      ['2024-09', 30],
      ['2024-10', 0],
    ]);
  });

  it('withholds counts below 5 from public and university callers, with the reason', async () => {
    for (const caller of [anonymous, university]) {
      const { demandTrends } = await client().ok(DEMAND, { filter }, caller);
      expect(demandTrends[2]).toMatchObject({
        period: '2025',
        requestedHeadcount: { value: null, suppressed: 'BELOW_THRESHOLD' },
        requests: { value: null, suppressed: 'BELOW_THRESHOLD' },
        growthRate: null,
      });
      expect(demandTrends[1].requestedHeadcount).toEqual({
        value: 60,
        suppressed: null,
      });
    }
  });

  it('refuses a span that ends before it starts', async () => {
    const response = await client().request(
      DEMAND,
      { filter: { ...filter, from: '2025-01-01', to: '2024-01-01' } },
      anonymous,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('supply and funnel', () => {
  const standardId = uuidv7();
  const cohortId = uuidv7();
  const filter = {
    from: '2025-01-01',
    to: '2025-06-30',
    granularity: 'QUARTER',
  };

  it('counts trained, completed and certified per period whatever the delivery order', async () => {
    const enrollments = Array.from({ length: 10 }, () =>
      events.enrolled(cohortId, standardId, '2025-02-03T15:00:00Z'),
    );
    const completions = enrollments
      .slice(0, 8)
      .map((e) => events.completed(e, '2025-04-20T18:00:00Z'));
    const dropped = events.dropped(enrollments[9]!, '2025-03-01T18:00:00Z');
    const certificates = enrollments
      .slice(0, 6)
      .map((e) =>
        events.certificateIssued(
          standardId,
          '2025-05-10T12:00:00Z',
          e.data.personId,
        ),
      );
    // Completions and certificates before the enrollments, plus duplicates.
    await running.publish(
      ...certificates,
      ...completions,
      dropped,
      ...enrollments,
      completions[0]!,
      certificates[0]!,
      enrollments[0]!,
    );
    await running.caughtUp();

    const result = await client().ok(SUPPLY_AND_FUNNEL, { filter }, admin);
    expect(
      result.supply.map((p: any) => [
        p.period,
        p.trained.value,
        p.completed.value,
        p.certified.value,
      ]),
    ).toEqual([
      ['2025-Q1', 10, 0, 0],
      ['2025-Q2', 0, 8, 6],
    ]);
    expect(result.funnel).toMatchObject({
      trained: { value: 10 },
      completed: { value: 8 },
      certified: { value: 6 },
      completionRate: 0.8,
      certificationRate: 0.75,
    });
  });

  it("filters completions by their cohort's target and state, once the cohort's scheduling is known", async () => {
    await running.publish(
      events.cohortScheduled({ standardId }, { id: cohortId, state: 'MX-NLE' }),
    );
    await running.caughtUp();
    const { supply, funnel } = await client().ok(
      SUPPLY_AND_FUNNEL,
      { filter: { ...filter, standardId } },
      admin,
    );
    expect(supply[0].trained.value).toBe(10);
    expect(supply[1].completed.value).toBe(8);
    expect(supply[1].certified.value).toBe(6);
    expect(funnel.completionRate).toBe(0.8);

    const inState = await client().ok(
      SUPPLY_AND_FUNNEL,
      { filter: { ...filter, standardId, state: 'MX-NLE' } },
      admin,
    );
    expect(inState.funnel).toMatchObject({
      trained: { value: 10 },
      completed: { value: 8 },
    });
  });

  it('counts a certificate whose evaluating body is unknown in no state, while the funnel follows the cohort’s people to it', async () => {
    const { supply, funnel } = await client().ok(
      SUPPLY_AND_FUNNEL,
      { filter: { ...filter, state: 'MX-NLE' } },
      admin,
    );
    // No body event has described where these certificates were evaluated.
    expect(supply[1].certified).toEqual({ value: 0, suppressed: null });
    expect(supply[1].completed.value).toBe(8);
    // The Nuevo León cohort's 8 completers, 6 of them certified (wherever).
    expect(funnel.certificationRate).toBe(0.75);
  });

  it("contributes a cohort's outcomes to Cohort, batched over references", async () => {
    const { _entities } = await client().ok(
      /* GraphQL */ `
        query ($reps: [_Any!]!) {
          _entities(representations: $reps) {
            ... on Cohort {
              id
              outcomes {
                enrolled {
                  value
                }
                completed {
                  value
                }
                dropped {
                  value
                  suppressed
                }
                completionRate
              }
            }
          }
        }
      `,
      {
        reps: [
          { __typename: 'Cohort', id: cohortId },
          { __typename: 'Cohort', id: uuidv7() },
        ],
      },
      anonymous,
    );
    expect(_entities[0]).toEqual({
      id: cohortId,
      outcomes: {
        enrolled: { value: 10 },
        // 8 completed, shown to the nearest 5; 1 dropped and 1 still in
        // training are withheld together (two withheld parts of the 10 need
        // no complement), and the rate is of the counts shown.
        completed: { value: 10 },
        dropped: { value: null, suppressed: 'BELOW_THRESHOLD' },
        completionRate: 1,
      },
    });
    expect(_entities[1].outcomes.enrolled.value).toBe(0);
  });
});

describe('standard usage', () => {
  it('gives the share of published standards with a certificate in the last 12 months, and the unused ones', async () => {
    const asOf = '2026-03-15T00:00:00.000Z';
    const used = events.standardPublished('EC1001', '2024-01-10T12:00:00Z');
    const stale = events.standardPublished('EC1002', '2024-01-10T12:00:00Z');
    const idle = events.standardPublished('EC1003', '2024-01-10T12:00:00Z');
    const gone = events.standardPublished('EC1004', '2024-01-10T12:00:00Z');
    await running.publish(
      // Withdrawn before its publication is delivered: order does not matter.
      events.standardWithdrawn(gone, '2025-01-01T00:00:00Z'),
      used,
      stale,
      idle,
      gone,
      events.certificateIssued(used.data.id, '2025-12-01T12:00:00Z'),
      events.certificateIssued(stale.data.id, '2024-06-01T12:00:00Z'),
    );
    await running.caughtUp();

    const { standardUsage } = await client().ok(
      /* GraphQL */ `
        query ($asOf: DateTime) {
          standardUsage(asOf: $asOf) {
            asOf
            publishedStandards
            usedStandards
            share
            unused {
              id
            }
          }
        }
      `,
      { asOf },
      anonymous,
    );
    // Other tests of this file publish no standard, only certificates.
    expect(standardUsage).toEqual({
      asOf,
      publishedStandards: 3,
      usedStandards: 1,
      share: 1 / 3,
      unused: [{ id: stale.data.id }, { id: idle.data.id }],
    });

    const { _entities } = await client().ok(
      /* GraphQL */ `
        query ($reps: [_Any!]!) {
          _entities(representations: $reps) {
            ... on CompetencyStandard {
              id
              usage {
                certificatesLast12Months {
                  value
                  suppressed
                }
                used
              }
            }
          }
        }
      `,
      {
        reps: [used, idle].map((e) => ({
          __typename: 'CompetencyStandard',
          id: e.data.id,
        })),
      },
      admin,
    );
    // "Last 12 months" of CompetencyStandard.usage is relative to today.
    expect(_entities.map((e: any) => e.id)).toEqual([
      used.data.id,
      idle.data.id,
    ]);
    expect(_entities[1].usage).toEqual({
      certificatesLast12Months: { value: 0, suppressed: null },
      used: false,
    });
  });
});

describe('consumer', () => {
  it('applies a batch once when the process died after its counters and before the ledger, however the redelivery is cut', async () => {
    const models = readModelsOf(running.service.stores);
    const standardId = uuidv7();
    const demand = (headcount: number) =>
      events.demandRequested('2021-03-01T12:00:00Z', headcount, {
        standardId,
      });
    const batch = [demand(12), demand(8)];
    const dying = createBatchApplier({
      ...models,
      ledger: {
        ...models.ledger,
        recordMany: () => Promise.reject(new Error('process killed')),
      },
    });
    await expect(dying.apply(batch, 'crash-test_0')).rejects.toThrow(
      'process killed',
    );
    // Redelivered with the next event in the same batch, and a duplicate.
    const applier = createBatchApplier(models);
    await applier.apply([...batch, batch[0]!, demand(5)], 'crash-test_0');
    await applier.apply(batch, 'crash-test_0');
    const sums = await models.buckets.sums(
      'DEMAND_HEADCOUNT',
      'YEAR',
      ['2021'],
      { standardId },
    );
    expect(sums.get('2021')).toBe(25);
    expect(await models.ledger.seenAmong(batch.map((e) => e.id))).toEqual(
      new Set(batch.map((e) => e.id)),
    );
  });

  it('sends a poison event to conecta.outcomes.dlq and keeps processing the next ones', async () => {
    const standardId = uuidv7();
    const good = events.demandRequested('2022-06-01T12:00:00Z', 25, {
      standardId,
    });
    const poison = {
      ...good,
      id: uuidv7(),
      data: { ...good.data, headcount: -1 },
    };
    await running.publish(poison as typeof good, good);
    await running.caughtUp();

    const { demandTrends } = await client().ok(
      DEMAND,
      {
        filter: { from: '2022-06-01', to: '2022-06-30', standardId },
      },
      admin,
    );
    expect(demandTrends[0].requestedHeadcount.value).toBe(25);
    const [dead] = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.outcomes.dlq`,
      until: (m) => m.event.id === poison.id,
    });
    expect(dead?.event.data.headcount).toBe(-1);
  });

  it('shows its lag and counters to admins only', async () => {
    const QUERY = `{ outcomesConsumerStatus { lag handled deadLettered lastError } }`;
    const { outcomesConsumerStatus } = await client().ok(QUERY, {}, admin);
    expect(outcomesConsumerStatus.lag).toBe(0);
    expect(outcomesConsumerStatus.handled).toBeGreaterThan(0);
    expect(outcomesConsumerStatus.deadLettered).toBeGreaterThanOrEqual(1);
    const denied = await client().request(QUERY, {}, anonymous);
    expect(denied.errors?.[0]?.extensions?.code).toMatch(
      /FORBIDDEN|UNAUTHENTICATED/,
    );
  });
});
