import type { AsIdentity } from '@conecta/test-kit';
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

// Issue 12, finding 1: the root queries refused the public a project, yet
// `cohortPage → project → demandRequests → matches` and `_entities` handed out
// every project, its fund shares and markup, its requesters and their
// demand. Whatever path reaches a project or a demand request, the same rule
// (domain/access.ts) decides.
let running: RunningTraining;
let world: World;
let projectId: string;
let demandId: string;
let cohortId: string;
const client = () => running.client;

beforeAll(async () => {
  running = await startTraining('training-nested-access');
  world = await seedWorld(running);
  demandId = (
    await client().ok(
      GQL.request,
      { input: input.demand(world, { headcount: 3 }) },
      actingFor(world.clusterId),
    )
  ).requestTraining.id;
  const agreementId = (
    await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
  ).signAgreement.id;
  projectId = (
    await client().ok(
      GQL.draft,
      {
        input: {
          name: 'Jalisco TI 2026',
          fundName: 'Fondo PROSOFT',
          agreementId,
          demandRequestIds: [demandId],
          requestedFundShareBps: 5_000,
        },
      },
      broker,
    )
  ).draftTrainingProject.id;
  await client().ok(
    `mutation ($id: ID!) { submitTrainingProject(id: $id) { id } }`,
    { id: projectId },
    broker,
  );
  await client().ok(
    `mutation ($input: ApproveTrainingProjectInput!) { approveTrainingProject(input: $input) { id } }`,
    { input: { id: projectId, approvedFundShareBps: 5_000 } },
    broker,
  );
  cohortId = (
    await client().ok(
      GQL.schedule,
      { input: { ...input.cohort(world, agreementId), projectId } },
      broker,
    )
  ).scheduleCohort.id;
});

afterAll(() => running?.stop());

const NESTED = /* GraphQL */ `
  query ($id: ID!) {
    cohort(id: $id) {
      id
      project {
        name
        fundName
        requestedFundShareBps
        brokerMarkupBps
        demandRequests {
          id
          headcount
          city
          matches {
            summary
          }
        }
      }
    }
  }
`;
const ENTITIES = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on TrainingProject {
        name
        fundName
        brokerMarkupBps
      }
      ... on DemandRequest {
        headcount
        matches {
          summary
        }
      }
    }
  }
`;
const DEMAND_PROJECT = /* GraphQL */ `
  query ($id: ID!) {
    demandRequest(id: $id) {
      id
      project {
        name
      }
      matches {
        summary
      }
    }
  }
`;

const outsiders: [string, () => AsIdentity][] = [
  ['the public', () => anonymous],
  ['another organization', () => actingFor(world.governmentId)],
  ['the cohort’s venue', () => actingFor(world.venueId)],
];

describe('no path around the project and demand rules', () => {
  it.each(outsiders)(
    'gives %s no project through a cohort',
    async (_who, as) => {
      const { cohort } = await client().ok(NESTED, { id: cohortId }, as());
      expect(cohort).toEqual({ id: cohortId, project: null });
    },
  );

  it.each(outsiders)(
    'gives %s no project nor demand through _entities',
    async (_who, as) => {
      const { _entities } = await client().ok(
        ENTITIES,
        {
          r: [
            { __typename: 'TrainingProject', id: projectId },
            { __typename: 'DemandRequest', id: demandId },
          ],
        },
        as(),
      );
      expect(_entities).toEqual([null, null]);
    },
  );

  it('shows the broker the project, its demand and the matches through the cohort', async () => {
    const { cohort } = await client().ok(NESTED, { id: cohortId }, broker);
    expect(cohort.project).toMatchObject({
      name: 'Jalisco TI 2026',
      fundName: 'Fondo PROSOFT',
      requestedFundShareBps: 5_000,
      demandRequests: [
        {
          id: demandId,
          headcount: 3,
          matches: { summary: expect.any(String) },
        },
      ],
    });
  });

  it('lets the requester see its demand and matches, but not the broker’s project', async () => {
    const { demandRequest } = await client().ok(
      DEMAND_PROJECT,
      { id: demandId },
      actingFor(world.clusterId),
    );
    expect(demandRequest).toMatchObject({
      id: demandId,
      project: null,
      matches: { summary: expect.any(String) },
    });
  });
});
