import { readEvents } from '@conecta/test-kit';
import {
  GQL,
  actingFor,
  anonymous,
  broker,
  inputMother as input,
  seedWorld,
  startTraining,
  type RunningTraining,
  type World,
} from '../fixtures/service';

let running: RunningTraining;
let world: World;
const client = () => running.client;

beforeAll(async () => {
  running = await startTraining('training-projects');
  world = await seedWorld(running);
});

afterAll(() => running?.stop());

const PROJECT_STATE = /* GraphQL */ `
  query ($id: ID!) {
    trainingProject(id: $id) {
      status
      approvedFundShareBps
      cost {
        fundShareBps
        perParticipant {
          fundContribution
          participantShare
        }
      }
      demandRequests {
        status
      }
    }
  }
`;

async function openDemand(organizationId: string, overrides: object = {}) {
  return (
    await client().ok(
      GQL.request,
      { input: input.demand(world, overrides) },
      actingFor(organizationId),
    )
  ).requestTraining;
}

async function agreement(overrides: object = {}) {
  return (
    await client().ok(
      GQL.sign,
      { input: input.agreement(world, overrides) },
      broker,
    )
  ).signAgreement;
}

describe('demand requests', () => {
  it('lets an organization request training for itself and see only its own demand', async () => {
    const mine = await openDemand(world.clusterId);
    expect(mine).toMatchObject({
      status: 'OPEN',
      headcount: 20,
      requester: { id: world.clusterId },
    });
    await openDemand(world.governmentId, {
      state: 'MX-NLE',
      city: 'Monterrey',
    });
    const LIST = `{ demandRequests { id requester { id } } }`;
    const own = await client().ok(LIST, {}, actingFor(world.clusterId));
    expect(
      own.demandRequests.every((d: any) => d.requester.id === world.clusterId),
    ).toBe(true);
    expect((await client().ok(LIST, {}, anonymous)).demandRequests).toEqual([]);
    const all = await client().ok(LIST, {}, broker);
    expect(new Set(all.demandRequests.map((d: any) => d.requester.id))).toEqual(
      new Set([world.clusterId, world.governmentId]),
    );
    const one = await client().ok(
      `query ($id: ID!) { demandRequest(id: $id) { id } }`,
      { id: mine.id },
      actingFor(world.governmentId),
    );
    expect(one.demandRequest).toBeNull();
  });

  it('refuses a headcount of zero, a past date and an unknown standard, naming each field', async () => {
    const res = await client().request(
      GQL.request,
      { input: input.demand(world, { headcount: 0 }) },
      actingFor(world.clusterId),
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.headcount',
    });
    const past = await client().request(
      GQL.request,
      { input: input.demand(world, { neededBy: '2020-01-01' }) },
      actingFor(world.clusterId),
    );
    expect(past.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'DATE_IN_PAST',
      field: 'input.neededBy',
    });
    const unknown = await client().request(
      GQL.request,
      {
        input: input.demand(world, {
          target: { standardId: '0190a5b0-0000-7000-8000-000000000000' },
        }),
      },
      actingFor(world.clusterId),
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'STANDARD_NOT_FOUND',
      field: 'input.target.standardId',
    });
  });

  it('lets the requester cancel its OPEN demand, and nobody else', async () => {
    const demand = await openDemand(world.clusterId);
    const CANCEL = `mutation ($input: CancelDemandRequestInput!) { cancelDemandRequest(input: $input) { status cancellationReason } }`;
    const foreign = await client().request(
      CANCEL,
      { input: { id: demand.id, reason: 'budget cut' } },
      actingFor(world.governmentId),
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ok = await client().ok(
      CANCEL,
      { input: { id: demand.id, reason: 'budget cut' } },
      actingFor(world.clusterId),
    );
    expect(ok.cancelDemandRequest).toEqual({
      status: 'CANCELLED',
      cancellationReason: 'budget cut',
    });
  });
});

describe('agreements and credentials', () => {
  it('lets only brokers sign agreements and refuses a discount out of range', async () => {
    const denied = await client().request(
      GQL.sign,
      { input: input.agreement(world) },
      actingFor(world.providerId),
    );
    expect(denied.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'BROKER_ONLY',
    });
    const bad = await client().request(
      GQL.sign,
      { input: input.agreement(world, { discountBps: 9_500 }) },
      broker,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'DISCOUNT_OUT_OF_RANGE',
      field: 'input.discountBps',
    });
    const reversed = await client().request(
      GQL.sign,
      {
        input: input.agreement(world, {
          validFrom: '2099-06-01',
          validUntil: '2099-01-01',
        }),
      },
      broker,
    );
    expect(reversed.errors?.[0]?.extensions?.reason).toBe('DATES_REVERSED');
  });

  it('prices a credential agreement from the catalog and refuses a duplicate vendor code', async () => {
    const credentialInput = input.credential();
    const credential = (
      await client().ok(
        GQL.registerCredential,
        { input: credentialInput },
        broker,
      )
    ).registerVendorCredential;
    const dup = await client().request(
      GQL.registerCredential,
      { input: credentialInput },
      broker,
    );
    expect(dup.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'CREDENTIAL_CODE_TAKEN',
    });
    const signed = await agreement({
      target: { credentialId: credential.id },
      marketPrice: null,
      examVouchersPerParticipant: 2,
    });
    expect(signed.marketPrice).toBe(2_400_000 + 2 * 660_000);
  });
});

describe('training projects', () => {
  it('aggregates demand into a project with an exact cost breakdown, then runs DRAFT → SUBMITTED → APPROVED → CLOSED publishing every change', async () => {
    const deal = await agreement();
    const a = await openDemand(world.clusterId, { headcount: 12 });
    const b = await openDemand(world.governmentId, {
      state: 'MX-NLE',
      city: 'Monterrey',
      headcount: 8,
    });
    const drafted = (
      await client().ok(
        GQL.draft,
        {
          input: {
            name: 'Talento Digital Occidente y Noreste 2026',
            fundName: 'Fondo Sectorial de Innovación',
            agreementId: deal.id,
            demandRequestIds: [a.id, b.id],
            requestedFundShareBps: 8_000,
          },
        },
        broker,
      )
    ).draftTrainingProject;
    expect(drafted.status).toBe('DRAFT');
    expect(drafted.demandRequests).toEqual([
      { id: a.id, status: 'AGGREGATED' },
      { id: b.id, status: 'AGGREGATED' },
    ]);
    // $15,000 − 70% = $4,500; + 5% broker fee = $4,725; fund 80% = $3,780.
    expect(drafted.cost).toEqual({
      participants: 20,
      fundShareBps: 8_000,
      perParticipant: {
        marketPrice: 1_500_000,
        discount: 1_050_000,
        negotiatedPrice: 450_000,
        brokerFee: 22_500,
        total: 472_500,
        fundContribution: 378_000,
        participantShare: 94_500,
      },
      project: {
        total: 9_450_000,
        fundContribution: 7_560_000,
        participantShare: 1_890_000,
      },
    });

    const id = drafted.id;
    await client().ok(
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { status } }`,
      { id },
      broker,
    );
    const tooMuch = await client().request(
      `mutation ($input: ApproveTrainingProjectInput!) { approveTrainingProject(input: $input) { status } }`,
      { input: { id, approvedFundShareBps: 8_500 } },
      broker,
    );
    expect(tooMuch.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'FUND_SHARE_ABOVE_CAP',
      field: 'input.approvedFundShareBps',
    });
    await client().ok(
      `mutation ($input: ApproveTrainingProjectInput!) { approveTrainingProject(input: $input) { status } }`,
      { input: { id, approvedFundShareBps: 5_000 } },
      broker,
    );
    const approved = await client().ok(PROJECT_STATE, { id }, broker);
    expect(approved.trainingProject).toMatchObject({
      status: 'APPROVED',
      approvedFundShareBps: 5_000,
      cost: {
        fundShareBps: 5_000,
        perParticipant: {
          fundContribution: 236_250,
          participantShare: 236_250,
        },
      },
    });
    await client().ok(
      `mutation ($id: ID!) { closeTrainingProject(id: $id) { status } }`,
      { id },
      broker,
    );
    const closed = await client().ok(PROJECT_STATE, { id }, broker);
    expect(closed.trainingProject.status).toBe('CLOSED');
    expect(closed.trainingProject.demandRequests).toEqual([
      { status: 'FULFILLED' },
      { status: 'FULFILLED' },
    ]);

    const types = [
      'training.ProjectDrafted',
      'training.ProjectSubmitted',
      'training.ProjectApproved',
      'training.ProjectClosed',
    ];
    const events = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.training.events`,
      until: ({ event }) => types.includes(event.type) && event.subject === id,
      count: types.length,
    });
    expect(events.map((e) => e.event.type)).toEqual(types);
    expect(events.every((e) => e.key === id)).toBe(true);
    expect(events[2]?.event.data).toMatchObject({
      approvedFundShareBps: 5_000,
      fundContributionCentavos: 236_250 * 20,
    });
    const fulfilled = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.training.events`,
      until: ({ event }) =>
        event.type === 'training.DemandFulfilled' &&
        event.data.projectId === id,
      count: 2,
    });
    expect(fulfilled.map((e) => e.key).sort()).toEqual([a.id, b.id].sort());
  });

  it('refuses a fund share above 80% and demand already in a project, writing nothing', async () => {
    const deal = await agreement();
    const demand = await openDemand(world.clusterId);
    const over = await client().request(
      GQL.draft,
      {
        input: {
          name: 'Exceso',
          fundName: 'Fondo',
          agreementId: deal.id,
          demandRequestIds: [demand.id],
          requestedFundShareBps: 8_001,
        },
      },
      broker,
    );
    expect(over.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'FUND_SHARE_ABOVE_CAP',
      field: 'input.requestedFundShareBps',
    });
    const draft = (input: object) =>
      client().request(
        GQL.draft,
        {
          input: {
            name: 'Proyecto',
            fundName: 'Fondo',
            agreementId: deal.id,
            requestedFundShareBps: 5_000,
            ...input,
          },
        },
        broker,
      );
    expect(
      (await draft({ demandRequestIds: [demand.id] })).errors,
    ).toBeUndefined();
    const fresh = await openDemand(world.clusterId);
    const again = await draft({ demandRequestIds: [fresh.id, demand.id] });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'DEMAND_NOT_OPEN',
      field: 'input.demandRequestIds[1]',
    });
    const untouched = await client().ok(
      `query ($id: ID!) { demandRequest(id: $id) { status } }`,
      { id: fresh.id },
      broker,
    );
    expect(untouched.demandRequest.status).toBe('OPEN');
  });

  it('returns the demand of a rejected project to OPEN', async () => {
    const deal = await agreement();
    const demand = await openDemand(world.clusterId);
    const { id } = (
      await client().ok(
        GQL.draft,
        {
          input: {
            name: 'Proyecto rechazado',
            fundName: 'Fondo',
            agreementId: deal.id,
            demandRequestIds: [demand.id],
            requestedFundShareBps: 6_000,
          },
        },
        broker,
      )
    ).draftTrainingProject;
    await client().ok(
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { status } }`,
      { id },
      broker,
    );
    await client().ok(
      `mutation ($input: RejectTrainingProjectInput!) { rejectTrainingProject(input: $input) { status } }`,
      { input: { id, reason: 'Sin suficiencia presupuestal' } },
      broker,
    );
    const after = await client().ok(PROJECT_STATE, { id }, broker);
    expect(after.trainingProject).toMatchObject({
      status: 'REJECTED',
      demandRequests: [{ status: 'OPEN' }],
    });
  });

  it('keeps projects from anyone but brokers', async () => {
    const res = await client().request(
      `{ trainingProjects { id } }`,
      {},
      actingFor(world.clusterId),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('matching', () => {
  it('ranks what can serve a demand with reasons, and reports demand nothing can serve', async () => {
    // The cheapest after funding: 70% (the cap) off a lower market price
    // than the other deals signed in this file ($15,000 at 70% or less).
    const cheap = await agreement({
      discountBps: 7_000,
      marketPrice: 1_200_000,
    });
    await agreement({ discountBps: 3_000 });
    const demand = await openDemand(world.clusterId, { headcount: 2 });
    const MATCH = /* GraphQL */ `
      query ($id: ID!) {
        matchDemand(demandRequestId: $id) {
          servable
          summary
          assumedFundShareBps
          matches {
            rank
            kind
            agreement {
              id
            }
            cost {
              participantShare
            }
            reasons
            explanation
          }
        }
      }
    `;
    const result = (
      await client().ok(MATCH, { id: demand.id }, actingFor(world.clusterId))
    ).matchDemand;
    expect(result.servable).toBe(true);
    expect(result.assumedFundShareBps).toBe(5_000);
    const ranks = result.matches.map((m: any) => m.rank);
    expect(ranks).toEqual(ranks.map((_: unknown, i: number) => i + 1));
    const shares = result.matches.map((m: any) => m.cost.participantShare);
    expect(shares).toEqual([...shares].sort((x, y) => x - y));
    expect(result.matches[0].agreement.id).toBe(cheap.id);
    expect(result.matches[0].explanation).toMatch(/^#1 agreement/);
    expect(result.matches[0].reasons).toContain('covers the requested target');

    const faraway = await openDemand(world.clusterId, {
      state: 'MX-BCN',
      city: 'Tijuana',
    });
    const nothing = (await client().ok(MATCH, { id: faraway.id }, broker))
      .matchDemand;
    expect(nothing.servable).toBe(false);
    expect(nothing.summary).toMatch(/^Nothing can serve this demand/);
    const unserved = await client().ok(
      `{ unservedDemand(state: "MX-BCN") { demandRequest { id } servable } }`,
      {},
      broker,
    );
    expect(unserved.unservedDemand).toContainEqual({
      demandRequest: { id: faraway.id },
      servable: false,
    });
  });

  it("matches every open request of the broker's review with one query per kind, however many there are", async () => {
    await openDemand(world.clusterId, { state: 'MX-BCN', city: 'Mexicali' });
    const { stores } = running.service;
    const spies = [
      jest.spyOn(stores.agreements, 'findByTargetKeys'),
      jest.spyOn(stores.cohorts, 'find'),
      jest.spyOn(stores.projections.providerSurveys, 'findByIds'),
    ];
    try {
      const open = await stores.demands.find({ status: 'OPEN' });
      expect(open.length).toBeGreaterThanOrEqual(3);
      await client().ok(`{ unservedDemand { servable } }`, {}, broker);
      // Agreements by target; cohorts twice (the agreements' own, and those
      // of their providers' certification records); providers' survey scores.
      expect(spies.map((spy) => spy.mock.calls.length)).toEqual([1, 2, 1]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
