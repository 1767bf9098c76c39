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

// Issue 17: the broker's pooling of several organizations' demand, and the
// matching fields brokers read (program duration, reasons in two languages,
// provider quality), over HTTP against the real stack.

let running: RunningTraining;
let world: World;
const client = () => running.client;

beforeAll(async () => {
  running = await startTraining('training-pooling');
  world = await seedWorld(running, 0);
});

afterAll(() => running?.stop());

const POOLS = /* GraphQL */ `
  query ($target: TargetInput, $state: String) {
    suggestedPools(target: $target, state: $state) {
      kind
      agreement {
        id
      }
      demandRequests {
        id
      }
      headcount
      requesters
      states
      perSeat {
        total
      }
      separately {
        cohorts
        seats
        cost
      }
      pooled {
        cohorts
        seats
        cost
      }
      saving
      reasons {
        es
        en
      }
    }
  }
`;

describe('pooling demand into suggested projects', () => {
  it('suggests one project for a Jalisco cluster and the Nuevo León government with the saving, to brokers only', async () => {
    // $15,000.00 at 70 % off = $4,500.00 + 5 % fee = $4,725.00 a seat; a
    // cohort needs 10.
    const deal = (
      await client().ok(
        GQL.sign,
        { input: input.agreement(world, { minCohortSize: 10 }) },
        broker,
      )
    ).signAgreement;
    const ask = (organizationId: string, body: object) =>
      client().ok(
        GQL.request,
        { input: input.demand(world, body) },
        actingFor(organizationId),
      );
    const jalisco = (await ask(world.clusterId, { headcount: 4 }))
      .requestTraining;
    const nuevoLeon = (
      await ask(world.governmentId, {
        headcount: 3,
        state: 'MX-NLE',
        city: 'Monterrey',
      })
    ).requestTraining;

    const { suggestedPools } = await client().ok(
      POOLS,
      { target: { standardId: world.standardId } },
      broker,
    );
    expect(suggestedPools).toHaveLength(1);
    const [pool] = suggestedPools;
    expect(pool).toMatchObject({
      kind: 'AGREEMENT',
      agreement: { id: deal.id },
      headcount: 7,
      requesters: 2,
      states: ['MX-JAL', 'MX-NLE'],
      perSeat: { total: 472_500 },
      // alone: 10 + 10 seats; together: 10
      separately: { cohorts: 2, seats: 20, cost: 9_450_000 },
      pooled: { cohorts: 1, seats: 10, cost: 4_725_000 },
      saving: 4_725_000,
    });
    expect(pool.demandRequests.map((d: { id: string }) => d.id).sort()).toEqual(
      [jalisco.id, nuevoLeon.id].sort(),
    );
    expect(pool.reasons.at(-1)).toEqual({
      es: 'ahorro: 10 lugares a $4,725.00 MXN = $47,250.00 MXN',
      en: 'saving: 10 seats at $4,725.00 MXN = $47,250.00 MXN',
    });
    // A state filter keeps pools that include a request there.
    expect(
      (await client().ok(POOLS, { state: 'MX-BCN' }, broker)).suggestedPools,
    ).toEqual([]);

    const requester = await client().request(
      POOLS,
      {},
      actingFor(world.clusterId),
    );
    expect(requester.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'BROKER_ONLY',
    });

    // The suggestion drafts as it is: the agreement and the requests.
    const drafted = await client().ok(
      GQL.draft,
      {
        input: {
          name: 'Talento TI Occidente y Noreste',
          fundName: 'Fondo Sectorial',
          agreementId: pool.agreement.id,
          demandRequestIds: pool.demandRequests.map(
            (d: { id: string }) => d.id,
          ),
          requestedFundShareBps: 5_000,
        },
      },
      broker,
    );
    expect(drafted.draftTrainingProject.id).toBeDefined();
    // Aggregated requests are no longer pooled.
    expect((await client().ok(POOLS, {}, broker)).suggestedPools).toEqual([]);
  });

  it('shows the broker the program duration, the reasons in Spanish and English and the provider quality', async () => {
    const deal = (
      await client().ok(
        GQL.sign,
        {
          input: input.agreement(world, {
            durationHours: 48,
            durationWeeks: 6,
          }),
        },
        broker,
      )
    ).signAgreement;
    const demand = (
      await client().ok(
        GQL.request,
        { input: input.demand(world, { headcount: 5 }) },
        actingFor(world.clusterId),
      )
    ).requestTraining;
    const { matchDemand } = await client().ok(
      /* GraphQL */ `
        query ($id: ID!) {
          matchDemand(demandRequestId: $id) {
            summarized {
              es
              en
            }
            matches {
              agreement {
                id
                durationHours
                durationWeeks
              }
              datesFixed
              finishesOn
              quality {
                completed
                certified
                score
                priorWeight
                surveyScore
              }
              why {
                code
                es
                en
              }
              reasons
              explained {
                es
              }
            }
          }
        }
      `,
      { id: demand.id },
      broker,
    );
    const match = matchDemand.matches.find(
      (m: { agreement: { id: string } }) => m.agreement.id === deal.id,
    );
    expect(match.agreement).toMatchObject({
      durationHours: 48,
      durationWeeks: 6,
    });
    expect(match.datesFixed).toBe(false);
    expect(match.quality).toEqual({
      completed: 0,
      certified: 0,
      score: null,
      priorWeight: 10,
      surveyScore: null,
    });
    const codes = match.why.map((r: { code: string }) => r.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'COVERS_TARGET',
        'IN_STATE',
        'NEW_COHORT_IN_TIME',
        'QUALITY_UNKNOWN',
        'PRICE',
      ]),
    );
    expect(match.reasons).toEqual(match.why.map((r: { en: string }) => r.en));
    expect(match.why).toContainEqual(
      expect.objectContaining({
        code: 'NEW_COHORT_IN_TIME',
        es: expect.stringContaining(
          'un grupo nuevo de 48 horas en 6 semana(s)',
        ),
      }),
    );
    expect(matchDemand.summarized.es).toMatch(/opción\(es\) pueden atender/);
  });

  it('refuses a program denser than 60 hours a week, naming the field', async () => {
    const res = await client().request(
      GQL.sign,
      {
        input: input.agreement(world, { durationHours: 121, durationWeeks: 2 }),
      },
      broker,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'DURATION_TOO_DENSE',
      field: 'input.durationHours',
    });
  });
});
