import { v7 as uuidv7 } from 'uuid';
import type { OutcomesFeed } from '../../src/events/feed';
import {
  eventMother as events,
  placementMother,
  projectMother,
} from '../fixtures/mothers';
import {
  admin,
  anonymous,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';
import { readModelSnapshot } from '../fixtures/snapshot';

let running: RunningOutcomes;

beforeAll(async () => {
  running = await startOutcomes('outcomes-rebuild');
});

afterAll(() => running?.stop());

const feed = () => running.service.consumers[0] as OutcomesFeed;
/** The read models queries read now. */
const snapshot = () =>
  readModelSnapshot(running.service.stores, feed().serving());

const TOTALS = /* GraphQL */ `
  query ($filter: OutcomeFilter!, $inJalisco: OutcomeFilter!) {
    funnel(filter: $filter) {
      trained {
        value
      }
      completed {
        value
      }
      certified {
        value
      }
      placed {
        value
      }
    }
    skillGaps(filter: $filter) {
      standard {
        id
      }
      supply {
        value
      }
    }
    jalisco: supply(filter: $inJalisco) {
      certified {
        value
      }
      people {
        value
      }
    }
    demandTrends(filter: $filter) {
      requestedHeadcount {
        value
      }
    }
  }
`;

describe('rebuild', () => {
  it('replays every topic into a new generation while queries answer from the previous one, then swaps to the same result as the incremental build', async () => {
    const standard = events.standardPublished('EC0217', '2023-05-01T12:00:00Z');
    // A Prosoft project, approved and closed, whose cohort it is.
    const project = projectMother.drafted('Prosoft 3.0');
    const cohort = events.cohortScheduled(
      { standardId: standard.data.id },
      { state: 'MX-JAL', projectId: project.data.id },
    );
    const cohortId = cohort.data.id;
    // The university that evaluated the certificates, with facilities in Jalisco only.
    const body = events.bodyRegistered(['MX-JAL']);
    const enrollments = Array.from({ length: 6 }, (_, i) =>
      events.enrolled(
        cohortId,
        standard.data.id,
        `2024-0${i + 1}-10T12:00:00Z`,
      ),
    );
    const certificates = enrollments
      .slice(0, 3)
      .map((e) =>
        events.certificateIssued(
          standard.data.id,
          '2024-09-01T12:00:00Z',
          e.data.personId,
          { certifyingBodyId: body.data.id },
        ),
      );
    const revocation = events.certificateRevoked(
      certificates[0]!,
      '2025-01-10T12:00:00Z',
    );
    const lateIssue = events.certificateIssued(
      standard.data.id,
      '2024-10-01T12:00:00Z',
    );
    await running.publish(
      standard,
      project,
      projectMother.approved(project.data.id, 945_000),
      projectMother.closed(project.data.id, {
        contributionCentavos: 945_000,
        upfrontBps: 3_333,
        perCertifiedCentavos: 150_000,
        certified: 2,
      }),
      cohort,
      body,
      events.credentialRegistered(standard.data.id),
      ...Array.from({ length: 8 }, (_, i) =>
        events.demandRequested(
          `202${(i % 3) + 3}-0${(i % 9) + 1}-05T12:00:00Z`,
          10 + i,
          {
            standardId: standard.data.id,
            state: i % 2 ? 'MX-NLE' : 'MX-JAL',
          },
        ),
      ),
      ...enrollments,
      ...enrollments
        .slice(0, 4)
        .map((e) => events.completed(e, '2024-08-01T12:00:00Z')),
      events.dropped(enrollments[5]!, '2024-07-01T12:00:00Z'),
      ...certificates,
      // Revocations: one delivered twice, one before its certificate's issuance.
      revocation,
      revocation,
      events.certificateRevoked(lateIssue, '2025-02-01T12:00:00Z'),
      lateIssue,
      // A duplicate: counted once either way.
      enrollments[0]!,
    );
    await running.client.ok(
      `mutation ($input: RecordPlacementInput!) { recordPlacement(input: $input) { id } }`,
      { input: placementMother.developer({ startDate: '2024-10-01' }) },
      admin,
    );
    await running.caughtUp();
    await running.eventually(async () => (await snapshot()).ledger === 26);
    const incremental = await snapshot();
    expect(incremental.buckets.length).toBeGreaterThan(10);
    expect(incremental.certificates).toHaveLength(4);
    expect(incremental.cohortViews).toHaveLength(1);
    expect(incremental.credentials).toHaveLength(1);
    // One person per enrollment, the late certificate's holder, the placed developer.
    expect(incremental.people).toHaveLength(8);
    expect(incremental.bodies).toHaveLength(1);
    expect(incremental.projects).toEqual([
      expect.objectContaining({
        _id: project.data.id,
        fundName: 'Prosoft 3.0',
        fundContributionCentavos: 945_000,
        cohorts: { [cohortId]: expect.objectContaining({ state: 'MX-JAL' }) },
      }),
    ]);

    // Enough history that the replay outlasts a query.
    const busyStandard = uuidv7();
    await running.publish(
      ...Array.from({ length: 300 }, (_, i) =>
        events.demandRequested(`2019-0${(i % 9) + 1}-05T12:00:00Z`, 1, {
          standardId: busyStandard,
        }),
      ),
    );
    await running.caughtUp();
    await running.eventually(async () => (await snapshot()).ledger === 326);
    const withHistory = await snapshot();
    const filter = {
      from: '2019-01-01',
      to: '2025-12-31',
      granularity: 'YEAR',
    };
    const totals = async () => {
      const { funnel, demandTrends, skillGaps, jalisco } =
        await running.client.ok(
          TOTALS,
          { filter, inJalisco: { ...filter, state: 'MX-JAL' } },
          admin,
        );
      const sum = (points: any[], field: string) =>
        points.reduce((n: number, p: any) => n + p[field].value, 0);
      return {
        trained: funnel.trained.value,
        completed: funnel.completed.value,
        certified: funnel.certified.value,
        placed: funnel.placed.value,
        supply: skillGaps.find((g: any) => g.standard?.id === standard.data.id)
          ?.supply.value,
        certifiedInJalisco: sum(jalisco, 'certified'),
        peopleInJalisco: sum(jalisco, 'people'),
        demand: demandTrends.reduce(
          (n: number, p: any) => n + p.requestedHeadcount.value,
          0,
        ),
      };
    };
    const before = await totals();
    // The cohort: 6 enrolled, 4 completed, 3 of them certified and one of
    // those revoked, nobody placed. Supply: the 6 trained people (the 3
    // certified are among them; the late certificate is revoked). Jalisco:
    // the body's 3 certificates less the revoked one.
    expect(before).toEqual({
      trained: 6,
      completed: 4,
      certified: 2,
      placed: 0,
      supply: 6,
      certifiedInJalisco: 2,
      peopleInJalisco: 6,
      demand: 300 + [10, 11, 12, 13, 14, 15, 16, 17].reduce((a, b) => a + b),
    });

    const { rebuildReadModels } = await running.client.ok(
      `mutation { rebuildReadModels { generation } }`,
      {},
      admin,
    );
    expect(rebuildReadModels.generation).toBe(1);
    // Mid-rebuild: generation 1 is being filled, queries read generation 0 whole.
    expect(feed().building()?.generation).toBe(1);
    expect(await totals()).toEqual(before);
    expect(feed().serving().generation).toBe(0);

    await feed().swapped();
    expect(feed().serving()).toEqual({ generation: 1, suffix: '_g1' });
    expect(await running.service.stores.generation.current()).toBe(1);
    expect(await snapshot()).toEqual(withHistory);
    expect(await totals()).toEqual(before);
    // The previous generation's collections are dropped after a grace period.
    const db = running.service.stores.connection.db!;
    await running.eventually(
      async () =>
        (await db.listCollections({ name: 'metric_buckets' }).toArray())
          .length === 0,
      30_000,
    );
    // New events feed the new generation.
    await running.publish(
      events.demandRequested('2025-06-01T12:00:00Z', 40, {
        standardId: busyStandard,
      }),
    );
    await running.eventually(
      async () => (await totals()).demand === before.demand + 40,
    );

    // A sector-scoped goal counts the certificates of that sector's standards.
    await running.client.ok(
      `mutation ($input: SetProgramGoalInput!) { setProgramGoal(input: $input) { id } }`,
      {
        input: {
          name: 'Certificación del sector 2024',
          metric: 'CERTIFICATIONS',
          target: 3,
          startsOn: '2024-01-01',
          deadline: '2024-12-31',
          sectorId: standard.data.sectorId,
        },
      },
      admin,
    );
    const GOALS = `{ programGoals { progress { achieved { value suppressed } percentage onTrack } } }`;
    const seen = await running.client.ok(GOALS, {}, admin);
    // Four certificates issued, two revoked.
    expect(seen.programGoals[0].progress).toEqual({
      achieved: { value: 2, suppressed: null },
      percentage: (2 / 3) * 100,
      onTrack: false,
    });
    const hidden = await running.client.ok(GOALS, {}, anonymous);
    expect(hidden.programGoals[0].progress.achieved.suppressed).toBe(
      'BELOW_THRESHOLD',
    );

    const denied = await running.client.request(
      `mutation { rebuildReadModels { generation } }`,
      {},
      anonymous,
    );
    expect(denied.errors?.[0]?.extensions?.code).toMatch(
      /FORBIDDEN|UNAUTHENTICATED/,
    );
  });
});
