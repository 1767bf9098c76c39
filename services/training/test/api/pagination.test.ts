import {
  GQL,
  actingFor,
  anonymous,
  broker,
  inputMother as input,
  person,
  seedWorld,
  startTraining,
  type RunningTraining,
  type World,
} from '../fixtures/service';
import { futureDay } from '../fixtures/mothers';

let running: RunningTraining;
let world: World;
const client = () => running.client;

beforeAll(async () => {
  running = await startTraining('training-pagination');
  world = await seedWorld(running, 5);
});

afterAll(() => running?.stop());

const PAGE = 'totalCount pageInfo { endCursor hasNextPage } nodes { id }';

interface PageResult {
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  nodes: Array<{ id: string }>;
}

/** Every id of a list, page by page (`first` per page), checking each page's totals. */
async function walk(
  field: string,
  args: string,
  first: number,
  as = broker,
): Promise<{ ids: string[]; pages: number; totalCount: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  let totalCount = -1;
  for (;;) {
    const res: Record<string, PageResult> = await client().ok(
      `query ($first: Int, $after: String) { ${field}(${args}${args ? ', ' : ''}first: $first, after: $after) { ${PAGE} } }`,
      { first, after },
      as,
    );
    const page = res[field]!;
    pages += 1;
    if (totalCount === -1) totalCount = page.totalCount;
    expect(page.totalCount).toBe(totalCount);
    expect(page.nodes.length).toBeLessThanOrEqual(first);
    ids.push(...page.nodes.map((n) => n.id));
    if (!page.pageInfo.hasNextPage) {
      if (page.nodes.length === 0) expect(page.pageInfo.endCursor).toBeNull();
      break;
    }
    after = page.pageInfo.endCursor;
    expect(after).toEqual(expect.any(String));
  }
  return { ids, pages, totalCount };
}

describe('cursor pagination', () => {
  it('pages demand requests oldest first with a total, each visible to its requester only', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1)
      created.push(
        (
          await client().ok(
            GQL.request,
            { input: input.demand(world, { headcount: 10 + i }) },
            actingFor(world.clusterId),
          )
        ).requestTraining.id,
      );
    await client().ok(
      GQL.request,
      { input: input.demand(world, { state: 'MX-NLE', city: 'Monterrey' }) },
      actingFor(world.governmentId),
    );
    const mine = await walk(
      'demandRequestPage',
      '',
      2,
      actingFor(world.clusterId),
    );
    expect(mine).toEqual({ ids: created, pages: 3, totalCount: 5 });
    const all = await walk('demandRequestPage', '', 4);
    expect(all.totalCount).toBe(6);
    expect(all.ids.slice(0, 5)).toEqual(created);
    const filtered = await walk(
      'demandRequestPage',
      'filter: { state: "MX-NLE" }',
      20,
    );
    expect(filtered.totalCount).toBe(1);
    // The unpaginated (deprecated) list still answers, with the same order.
    const legacy = await client().ok(
      `{ demandRequests { id } }`,
      {},
      actingFor(world.clusterId),
    );
    expect(legacy.demandRequests.map((d: { id: string }) => d.id)).toEqual(
      created,
    );
    const none = await walk('demandRequestPage', '', 20, anonymous);
    expect(none).toEqual({ ids: [], pages: 1, totalCount: 0 });
  });

  it('pages agreements newest first, cohorts by start date and projects oldest first', async () => {
    const agreements: string[] = [];
    for (let i = 0; i < 3; i += 1)
      agreements.push(
        (await client().ok(GQL.sign, { input: input.agreement(world) }, broker))
          .signAgreement.id,
      );
    const listed = await walk('agreementPage', '', 2);
    expect(listed.ids).toEqual([...agreements].reverse());
    expect(listed.totalCount).toBe(3);
    const legacyAgreements = await client().ok(
      `{ agreements { id } }`,
      {},
      anonymous,
    );
    expect(
      legacyAgreements.agreements.map((a: { id: string }) => a.id),
    ).toEqual([...agreements].reverse());
    const active = await walk(
      'agreementPage',
      'activeOnly: true',
      2,
      anonymous,
    );
    expect(active.ids).toEqual([...agreements].reverse());

    // Scheduled out of date order; listed earliest start first, ties by id.
    const starts = [40, 10, 25, 10];
    const cohorts: Array<{ id: string; start: number }> = [];
    for (const start of starts)
      cohorts.push({
        id: (
          await client().ok(
            GQL.schedule,
            {
              input: input.cohort(world, agreements[0]!, {
                startsOn: futureDay(start),
                endsOn: futureDay(start + 5),
              }),
            },
            broker,
          )
        ).scheduleCohort.id,
        start,
      });
    const expected = [...cohorts]
      .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1))
      .map((c) => c.id);
    const byStart = await walk('cohortPage', '', 3, anonymous);
    expect(byStart).toEqual({ ids: expected, pages: 2, totalCount: 4 });
    const ofProvider = await walk(
      'cohortPage',
      `filter: { providerId: "${world.providerId}" }`,
      1,
    );
    expect(ofProvider.ids).toEqual(expected);

    const demands: string[] = [];
    for (let i = 0; i < 3; i += 1)
      demands.push(
        (
          await client().ok(
            GQL.request,
            { input: input.demand(world) },
            actingFor(world.clusterId),
          )
        ).requestTraining.id,
      );
    const projects: string[] = [];
    for (const demandId of demands)
      projects.push(
        (
          await client().ok(
            GQL.draft,
            {
              input: {
                name: 'P',
                fundName: 'F',
                agreementId: agreements[1],
                demandRequestIds: [demandId],
                requestedFundShareBps: 5_000,
              },
            },
            broker,
          )
        ).draftTrainingProject.id,
      );
    expect(await walk('trainingProjectPage', 'status: DRAFT', 2)).toEqual({
      ids: projects,
      pages: 2,
      totalCount: 3,
    });
  });

  it("pages enrollments for brokers, a cohort's provider and the person, and none for others", async () => {
    const agreementId = (
      await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
    ).signAgreement.id;
    const cohortId = (
      await client().ok(
        GQL.schedule,
        { input: input.cohort(world, agreementId, { capacity: 5 }) },
        broker,
      )
    ).scheduleCohort.id;
    const enrolled: string[] = [];
    for (const personId of world.personIds)
      enrolled.push(
        (
          await client().ok(
            GQL.enroll,
            { input: { cohortId, personId } },
            broker,
          )
        ).enroll.id,
      );
    const ofCohort = `filter: { cohortId: "${cohortId}" }`;
    expect(await walk('enrollments', ofCohort, 2)).toEqual({
      ids: enrolled,
      pages: 3,
      totalCount: 5,
    });
    expect(
      (await walk('enrollments', ofCohort, 20, actingFor(world.providerId)))
        .ids,
    ).toEqual(enrolled);
    expect(
      (await walk('enrollments', ofCohort, 20, actingFor(world.clusterId)))
        .totalCount,
    ).toBe(0);
    const own = await walk(
      'enrollments',
      `filter: { personId: "${world.personIds[0]}" }`,
      20,
      person(world.personIds[0]!),
    );
    expect(own.ids).toEqual([enrolled[0]]);
    expect((await walk('enrollments', '', 20, anonymous)).totalCount).toBe(0);
  });

  it('refuses first outside 1–100 and a cursor it did not issue, naming the argument', async () => {
    for (const first of [0, 101]) {
      const res = await client().request(
        `query ($first: Int) { cohortPage(first: $first) { totalCount } }`,
        { first },
        anonymous,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
    }
    for (const after of [
      'not-a-cursor',
      Buffer.from('[1,2,3]').toString('base64url'),
    ]) {
      const res = await client().request(
        `query ($after: String) { agreementPage(after: $after) { totalCount } }`,
        { after },
        anonymous,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
        reason: 'INVALID_CURSOR',
      });
    }
  });
});
