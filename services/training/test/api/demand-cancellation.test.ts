import { readEvents } from '@conecta/test-kit';
import {
  GQL,
  actingFor,
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
  running = await startTraining('training-demand-cancellation');
  world = await seedWorld(running);
});

afterAll(() => running?.stop());

const CANCEL = /* GraphQL */ `
  mutation ($input: CancelDemandRequestInput!) {
    cancelDemandRequest(input: $input) {
      id
      status
      project {
        id
      }
      cancellationReason
    }
  }
`;

const PROJECT = /* GraphQL */ `
  query ($id: ID!) {
    trainingProject(id: $id) {
      status
      demandRequests {
        id
        status
      }
      cost {
        participants
      }
    }
  }
`;

async function openDemand(headcount = 20) {
  return (
    await client().ok(
      GQL.request,
      { input: input.demand(world, { headcount }) },
      actingFor(world.clusterId),
    )
  ).requestTraining;
}

/** A DRAFT project of a fresh agreement aggregating `demandIds`. */
async function draftProject(demandIds: string[]): Promise<string> {
  const deal = (
    await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
  ).signAgreement;
  return (
    await client().ok(
      GQL.draft,
      {
        input: {
          name: 'Talento TI Jalisco',
          fundName: 'Fondo Estatal de Capacitación',
          agreementId: deal.id,
          demandRequestIds: demandIds,
          requestedFundShareBps: 5_000,
        },
      },
      broker,
    )
  ).draftTrainingProject.id;
}

const cancel = (id: string, who = actingFor(world.clusterId)) =>
  client().request(CANCEL, { input: { id, reason: 'ya no se requiere' } }, who);

describe('cancelling aggregated demand', () => {
  it('lets the requester cancel a request of a DRAFT project, which drops it and shrinks, publishing both facts', async () => {
    const kept = await openDemand(20);
    const leaving = await openDemand(8);
    const projectId = await draftProject([kept.id, leaving.id]);

    const res = await cancel(leaving.id);
    expect(res.errors).toBeUndefined();
    expect(res.data?.cancelDemandRequest).toEqual({
      id: leaving.id,
      status: 'CANCELLED',
      project: null,
      cancellationReason: 'ya no se requiere',
    });
    const after = await client().ok(PROJECT, { id: projectId }, broker);
    expect(after.trainingProject).toEqual({
      status: 'DRAFT',
      demandRequests: [{ id: kept.id, status: 'AGGREGATED' }],
      cost: { participants: 20 },
    });

    const [withdrawn] = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.training.events`,
      until: ({ event }) =>
        event.type === 'training.ProjectDemandWithdrawn' &&
        event.subject === projectId,
    });
    expect(withdrawn?.key).toBe(projectId);
    expect(withdrawn?.event.data).toMatchObject({
      id: projectId,
      demandRequestId: leaving.id,
      demandRequestIds: [kept.id],
      participants: 20,
    });
    const [cancelled] = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.training.events`,
      until: ({ event }) =>
        event.type === 'training.DemandCancelled' &&
        event.subject === leaving.id,
    });
    expect(cancelled?.event.data).toMatchObject({
      id: leaving.id,
      reason: 'ya no se requiere',
    });
  });

  it("refuses to cancel a DRAFT project's only request, changing nothing", async () => {
    const only = await openDemand();
    const projectId = await draftProject([only.id]);
    const res = await cancel(only.id);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'PROJECT_WOULD_BE_EMPTY',
    });
    const after = await client().ok(PROJECT, { id: projectId }, broker);
    expect(after.trainingProject.demandRequests).toEqual([
      { id: only.id, status: 'AGGREGATED' },
    ]);
  });

  it('refuses to cancel a request of a SUBMITTED or APPROVED project (DEMAND_IN_PROJECT), and cancels one whose project was rejected', async () => {
    const a = await openDemand();
    const b = await openDemand();
    const projectId = await draftProject([a.id, b.id]);
    await client().ok(
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { status } }`,
      { id: projectId },
      broker,
    );
    const submitted = await cancel(a.id, broker);
    expect(submitted.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'DEMAND_IN_PROJECT',
    });

    // A rejected project whose requests stayed AGGREGATED (its release
    // stopped half-way): simulated by putting one back as the failure would.
    await client().ok(
      `mutation ($input: RejectTrainingProjectInput!) { rejectTrainingProject(input: $input) { status } }`,
      { input: { id: projectId, reason: 'Sin suficiencia presupuestal' } },
      broker,
    );
    await running.service.stores.demands.collection.updateOne(
      { _id: a.id } as never,
      { $set: { status: 'AGGREGATED', projectId } },
    );
    const rejected = await cancel(a.id);
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data?.cancelDemandRequest).toMatchObject({
      status: 'CANCELLED',
      project: null,
    });
    const after = await client().ok(PROJECT, { id: projectId }, broker);
    expect(after.trainingProject.status).toBe('REJECTED');
  });

  it('refuses cancelling twice, and a cancelled request cannot be drafted', async () => {
    const demand = await openDemand();
    expect((await cancel(demand.id)).errors).toBeUndefined();
    const again = await cancel(demand.id);
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'INVALID_DEMAND_TRANSITION',
    });
    const deal = (
      await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
    ).signAgreement;
    const draft = await client().request(
      GQL.draft,
      {
        input: {
          name: 'P',
          fundName: 'F',
          agreementId: deal.id,
          demandRequestIds: [demand.id],
          requestedFundShareBps: 5_000,
        },
      },
      broker,
    );
    expect(draft.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'DEMAND_NOT_OPEN',
    });
  });
});
