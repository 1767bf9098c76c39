import { randomUUID } from 'node:crypto';
import { loadConfig } from '@conecta/service-kit';
import { startSubgraph, type StartedSubgraph } from '@conecta/test-kit';
// The real outcomes subgraph, started here on the same Kafka topics: this
// test is about the two services together (a test harness, not src/, so
// the rule that services never import each other does not apply).
import { outcomesConfig } from '../../../outcomes/src/env';
import {
  createOutcomesService,
  type OutcomesService,
} from '../../../outcomes/src/server';
import { foreignEventMother as foreign } from '../fixtures/mothers';
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

// Issue 17: employer surveys recorded in outcomes reach training's matching
// through Kafka (outcomes.ProviderSurveyScoreChanged) and change a
// provider's rank — both subgraphs on the real FerretDB and Kafka.

let training: RunningTraining;
let outcomes: StartedSubgraph<OutcomesService>;
let world: World;
let rival: string;

beforeAll(async () => {
  training = await startTraining('training-survey-quality');
  outcomes = await startSubgraph({
    name: 'outcomes',
    label: 'training-survey-outcomes',
    config: (env) => loadConfig(outcomesConfig, env),
    create: createOutcomesService,
    // Its own database, training's topics.
    env: { KAFKA_TOPIC_PREFIX: training.infra.topicPrefix },
  });
  world = await seedWorld(training, 0);
  const other = foreign.organization(
    'Instituto de Formación Industrial de Occidente',
    'TRAINING_PROVIDER',
    'MX-JAL',
  );
  await training.publish(other);
  rival = other.data.id;
  await training.eventually(
    async () =>
      (
        await training.service.stores.projections.organizations.findByIds([
          rival,
        ])
      ).length === 1,
  );
});

afterAll(async () => {
  await outcomes?.stop();
  await training?.stop();
});

const MATCH = /* GraphQL */ `
  query ($id: ID!) {
    matchDemand(demandRequestId: $id) {
      matches {
        rank
        agreement {
          id
        }
        quality {
          score
          surveyScore
        }
        why {
          code
          es
          en
        }
      }
    }
  }
`;
const SUBMIT = /* GraphQL */ `
  mutation ($input: SubmitEmployerSurveyInput!) {
    submitEmployerSurvey(input: $input) {
      id
    }
  }
`;

interface Ranked {
  rank: number;
  agreement: { id: string };
  quality: { score: number | null; surveyScore: number | null };
  why: Array<{ code: string; es: string; en: string }>;
}

describe('employer surveys in the quality score', () => {
  it('moves a dearer provider that employers rate well above a cheaper one once outcomes releases the scores', async () => {
    const sign = async (providerId: string, discountBps: number) =>
      (
        await training.client.ok(
          GQL.sign,
          { input: input.agreement(world, { providerId, discountBps }) },
          broker,
        )
      ).signAgreement.id as string;
    const liked = await sign(world.providerId, 5_000);
    const cheap = await sign(rival, 7_000);
    const demand = (
      await training.client.ok(
        GQL.request,
        { input: input.demand(world, { headcount: 5 }) },
        actingFor(world.clusterId),
      )
    ).requestTraining.id as string;
    const ranking = async (): Promise<Ranked[]> =>
      (await training.client.ok(MATCH, { id: demand }, broker)).matchDemand
        .matches;

    // No completer and no survey: quality does not rank; the cheaper is first.
    const before = await ranking();
    expect(before.map((m) => m.agreement.id)).toEqual([cheap, liked]);
    expect(before[0]?.why.map((r) => r.code)).toContain('QUALITY_UNKNOWN');

    // Employers answer in outcomes: five rate the first provider 5, five
    // rate the rival 2 (each its own employer, about its own cohort).
    const survey = (providerId: string, score: number) => ({
      employerId: randomUUID(),
      cohortId: randomUUID(),
      providerId,
      ratings: [
        { factor: 'TECHNICAL_SKILL', score },
        { factor: 'PRODUCTIVITY', score },
      ],
    });
    for (let i = 0; i < 5; i += 1) {
      await outcomes.client.ok(
        SUBMIT,
        { input: survey(world.providerId, 5) },
        broker,
      );
      await outcomes.client.ok(SUBMIT, { input: survey(rival, 2) }, broker);
    }

    // Released: 5.0 over 5 (rate 1) and 2.0 over 5 (rate 0.25). Peers' mean
    // (5 × 1 + 5 × 0.25) / 10 = 0.625 (3.5 of 5). Shrunk by m = 10:
    // liked (5 + 6.25) / 15 = 0.75, cheap (1.25 + 6.25) / 15 = 0.5.
    let after: Ranked[] = [];
    await training.eventually(async () => {
      after = await ranking();
      return after[0]?.agreement.id === liked;
    });
    expect(after.map((m) => m.agreement.id)).toEqual([liked, cheap]);
    expect(after.map((m) => m.quality)).toEqual([
      { score: 0.75, surveyScore: 1 },
      { score: 0.5, surveyScore: 0.25 },
    ]);
    expect(after[0]?.why.at(-1)).toMatchObject({
      code: 'RANKED_BY_QUALITY',
      es: 'queda por encima de la siguiente opción porque la calidad de su proveedor es 75% contra 50%',
    });
    expect(after[0]?.why).toContainEqual({
      code: 'QUALITY',
      es: 'calidad del proveedor 75%: encuestas de empleadores 5.0 de 5 en 5 respuestas, ajustado hacia el promedio de los proveedores comparados (3.5 de 5) por el tamaño de la muestra',
      en: "provider quality 75%: employer surveys 5.0 out of 5 over 5 responses, shrunk toward the compared providers' mean (3.5 out of 5) for the sample size",
    });
  });

  it('keeps the latest release: an older revision delivered late changes nothing', async () => {
    const { projections } = training.service.stores;
    const providerId = randomUUID();
    const apply = (revision: number, score: number) =>
      projections.providerSurveys.applyRevision(randomUUID(), providerId, {
        revision,
        responses: 5,
        score,
      });
    expect(await apply(2, 4.5)).toBe(true);
    expect(await apply(1, 1.5)).toBe(false);
    expect(await apply(3, 3.5)).toBe(true);
    const [view] = await projections.providerSurveys.findByIds([providerId]);
    expect(view).toMatchObject({ revision: 3, score: 3.5 });
  });
});
