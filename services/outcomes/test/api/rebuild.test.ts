import { v7 as uuidv7 } from 'uuid';
import { eventMother as events, placementMother } from '../fixtures/mothers';
import {
  admin,
  anonymous,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';

let running: RunningOutcomes;

beforeAll(async () => {
  running = await startOutcomes('outcomes-rebuild');
});

afterAll(() => running?.stop());

/** Every read model, sorted, without the bounded lists of applied event ids. */
async function snapshot() {
  const { buckets, standards, cohorts, ledger } = running.service.stores;
  const read = async (model: typeof buckets.model) =>
    (await model.find({}).lean())
      .map(({ appliedEventIds: _ids, ...doc }: any) => doc)
      .sort((a: any, b: any) => String(a._id).localeCompare(String(b._id)));
  return {
    buckets: await read(buckets.model),
    standards: await read(standards.model),
    cohorts: await read(cohorts.model),
    ledger: (await read(ledger.model)).length,
  };
}

describe('rebuild', () => {
  it('drops the read models and replays every topic into the same result as the incremental build', async () => {
    const standard = events.standardPublished('EC0217', '2023-05-01T12:00:00Z');
    const cohortId = uuidv7();
    const enrollments = Array.from({ length: 6 }, (_, i) =>
      events.enrolled(
        cohortId,
        standard.data.id,
        `2024-0${i + 1}-10T12:00:00Z`,
      ),
    );
    await running.publish(
      standard,
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
      ...enrollments
        .slice(0, 3)
        .map((e) =>
          events.certificateIssued(
            standard.data.id,
            '2024-09-01T12:00:00Z',
            e.data.personId,
          ),
        ),
      // A duplicate: counted once either way.
      enrollments[0]!,
    );
    await running.client.ok(
      `mutation ($input: RecordPlacementInput!) { recordPlacement(input: $input) { id } }`,
      { input: placementMother.developer({ startDate: '2024-10-01' }) },
      admin,
    );
    await running.caughtUp();
    await running.eventually(async () => (await snapshot()).ledger === 23);
    const incremental = await snapshot();
    expect(incremental.buckets.length).toBeGreaterThan(10);

    const { rebuildReadModels } = await running.client.ok(
      `mutation { rebuildReadModels { generation } }`,
      {},
      admin,
    );
    expect(rebuildReadModels.generation).toBe(1);
    await running.caughtUp();
    await running.eventually(async () => (await snapshot()).ledger === 23);
    expect(await snapshot()).toEqual(incremental);

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
    expect(seen.programGoals[0].progress).toEqual({
      achieved: { value: 3, suppressed: null },
      percentage: 100,
      onTrack: true,
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
