import { v7 as uuidv7 } from 'uuid';
import { createBatchApplier } from '../../src/events/apply';
import { readModelsOf } from '../../src/store';
import { eventMother as events } from '../fixtures/mothers';
import {
  admin,
  anonymous,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';

let running: RunningOutcomes;

beforeAll(async () => {
  running = await startOutcomes('outcomes-revocations');
});

afterAll(() => running?.stop());

const CERTIFIED = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    supply(filter: $filter) {
      period
      certified {
        value
      }
    }
    skillGaps(filter: $filter) {
      supply {
        value
      }
    }
  }
`;

const certifiedPerYear = async (standardId: string) => {
  const { supply, skillGaps } = await running.client.ok(
    CERTIFIED,
    {
      filter: {
        from: '2024-01-01',
        to: '2025-12-31',
        granularity: 'YEAR',
        standardId,
      },
    },
    admin,
  );
  return {
    perYear: supply.map((p: any) => [p.period, p.certified.value]),
    // Distinct people: each certificate here is someone else's, so the
    // people of supply are the certificates not revoked.
    people: skillGaps[0]?.supply.value ?? 0,
  };
};

const times = <T>(n: number, make: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => make(i));

describe('revoked certificates', () => {
  it('subtract from the period the certificate was issued in, once, however often the revocation is delivered', async () => {
    const standardId = uuidv7();
    const issued = times(8, () =>
      events.certificateIssued(standardId, '2024-03-10T12:00:00Z'),
    );
    const first = events.certificateRevoked(issued[0]!, '2025-02-01T12:00:00Z');
    await running.publish(
      ...issued,
      first,
      events.certificateRevoked(issued[1]!, '2025-02-03T12:00:00Z'),
      // The same revocation redelivered, and a second revocation event (a new
      // event id) for the same certificate: neither subtracts again.
      first,
      events.certificateRevoked(issued[0]!, '2025-03-01T12:00:00Z'),
      first,
    );
    await running.caughtUp();
    expect(await certifiedPerYear(standardId)).toEqual({
      perYear: [
        ['2024', 6],
        ['2025', 0],
      ],
      people: 6,
    });
  });

  it('subtract as well when the revocation is delivered before the issuance', async () => {
    const standardId = uuidv7();
    const issued = times(6, () =>
      events.certificateIssued(standardId, '2025-07-10T12:00:00Z'),
    );
    const revoked = events.certificateRevoked(
      issued[5]!,
      '2025-09-01T12:00:00Z',
    );
    await running.publish(revoked, ...issued, revoked, issued[5]!);
    await running.caughtUp();
    expect(await certifiedPerYear(standardId)).toEqual({
      perYear: [
        ['2024', 0],
        ['2025', 5],
      ],
      people: 5,
    });
  });

  it('subtract once even when the process died after the retraction and before the certificate was marked retracted', async () => {
    const models = readModelsOf(running.service.stores);
    const applier = createBatchApplier(models);
    const standardId = uuidv7();
    const issued = events.certificateIssued(standardId, '2024-11-05T12:00:00Z');
    const revoked = events.certificateRevoked(issued, '2025-01-05T12:00:00Z');
    await applier.apply([issued], 'revocation-crash_0');
    const dying = createBatchApplier({
      ...models,
      certificates: {
        ...models.certificates,
        setMany: () => Promise.reject(new Error('process killed')),
      },
    });
    // The −1 is written to every bucket, neither `retracted` nor the ledger.
    await expect(dying.apply([revoked], 'revocation-crash_0')).rejects.toThrow(
      'process killed',
    );
    await applier.apply([revoked, revoked], 'revocation-crash_0');
    // A second revocation event for the same certificate, later.
    await applier.apply(
      [events.certificateRevoked(issued, '2025-03-01T12:00:00Z')],
      'revocation-crash_0',
    );
    for (const [granularity, period] of [
      ['MONTH', '2024-11'],
      ['QUARTER', '2024-Q4'],
      ['YEAR', '2024'],
    ] as const) {
      const sums = await models.buckets.sums(
        'CERTIFIED',
        granularity,
        [period],
        {
          standardId,
        },
      );
      expect(sums.get(period)).toBe(0);
    }
  });

  it('leave a standard whose only recent certificate was revoked unused', async () => {
    const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const standard = events.standardPublished('EC0366', '2023-01-10T12:00:00Z');
    const kept = events.standardPublished('EC0367', '2023-01-10T12:00:00Z');
    const issued = events.certificateIssued(standard.data.id, lastMonth);
    await running.publish(
      standard,
      kept,
      issued,
      events.certificateIssued(kept.data.id, lastMonth),
      events.certificateRevoked(issued, new Date().toISOString()),
    );
    await running.caughtUp();

    const { standardUsage } = await running.client.ok(
      `{ standardUsage { publishedStandards usedStandards unused { id } } }`,
      {},
      anonymous,
    );
    expect(standardUsage).toEqual({
      publishedStandards: 2,
      usedStandards: 1,
      unused: [{ id: standard.data.id }],
    });
    const { _entities } = await running.client.ok(
      /* GraphQL */ `
        query ($reps: [_Any!]!) {
          _entities(representations: $reps) {
            ... on CompetencyStandard {
              usage {
                certificatesLast12Months {
                  value
                }
                used
              }
            }
          }
        }
      `,
      { reps: [{ __typename: 'CompetencyStandard', id: standard.data.id }] },
      admin,
    );
    expect(_entities[0].usage).toEqual({
      certificatesLast12Months: { value: 0 },
      used: false,
    });
  });
});
