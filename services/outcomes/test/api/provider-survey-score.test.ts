import { randomUUID } from 'node:crypto';
import { readEvents } from '@conecta/test-kit';
import { EQUAL_WEIGHTS } from '../../src/domain/survey';
import { startOutcomes, type RunningOutcomes } from '../fixtures/service';

// Issue 17: training ranks providers by employer surveys. outcomes publishes
// each provider's survey score as it releases it — a provider-level
// aggregate, never a survey — through its outbox, on the real FerretDB and
// Kafka.

let running: RunningOutcomes;
const client = () => running.client;

beforeAll(async () => {
  running = await startOutcomes('outcomes-provider-score');
});

afterAll(() => running?.stop());

const broker = { subject: 'broker-1', roles: ['broker' as const] };
const SUBMIT = /* GraphQL */ `
  mutation ($input: SubmitEmployerSurveyInput!) {
    submitEmployerSurvey(input: $input) {
      id
    }
  }
`;
const SCORES = /* GraphQL */ `
  query ($id: ID!) {
    surveyScores(subject: PROVIDER, id: $id) {
      responses {
        value
      }
      weightedAverage
    }
  }
`;
const TOPIC = () => `${running.infra.topicPrefix}conecta.outcomes.events`;

/** A survey by its own employer about a cohort of `providerId`, every factor rated `score`. */
const surveyOf = (providerId: string, score: number) => ({
  employerId: randomUUID(),
  cohortId: randomUUID(),
  providerId,
  ratings: [
    { factor: 'TECHNICAL_SKILL', score },
    { factor: 'TEAMWORK', score },
  ],
});

const scoreEvents = async (providerId: string, count: number) =>
  (
    await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: TOPIC(),
      until: (m) =>
        m.event.type === 'outcomes.ProviderSurveyScoreChanged' &&
        m.key === providerId,
      count,
    })
  ).map((m) => m.event);

describe("a provider's survey score event", () => {
  it('is published once the score is released, with what a broker reads and no personal data', async () => {
    const providerId = randomUUID();
    // Four surveys: withheld (below 5), nothing to announce.
    for (const score of [5, 4, 4, 3])
      await client().ok(SUBMIT, { input: surveyOf(providerId, score) }, broker);
    // The fifth releases it: 20 / 5 = 4.0 on both factors.
    await client().ok(SUBMIT, { input: surveyOf(providerId, 4) }, broker);
    const [event] = await scoreEvents(providerId, 1);
    expect(event).toMatchObject({
      type: 'outcomes.ProviderSurveyScoreChanged',
      version: 1,
      source: 'outcomes',
      subject: providerId,
      data: { providerId, revision: 1, responses: 5, score: 4 },
    });
    // Only the aggregate: no employer, cohort, person or single rating.
    expect(Object.keys(event!.data as object).sort()).toEqual([
      'changedAt',
      'providerId',
      'responses',
      'revision',
      'score',
    ]);
    // Exactly what a broker reads from outcomes itself.
    const { surveyScores } = await client().ok(
      SCORES,
      { id: providerId },
      broker,
    );
    expect(surveyScores).toEqual({
      responses: { value: 5 },
      weightedAverage: 4,
    });
  });

  it('is published again only when the release changes, with the next revision', async () => {
    const providerId = randomUUID();
    for (const score of [4, 4, 4, 4, 4])
      await client().ok(SUBMIT, { input: surveyOf(providerId, score) }, broker);
    // A sixth 4: count 6 → 5, average 4.0: the same release, no event.
    await client().ok(SUBMIT, { input: surveyOf(providerId, 4) }, broker);
    // A seventh, 1: (6 × 4 + 1) / 7 = 3.57 → 3.6: a change.
    await client().ok(SUBMIT, { input: surveyOf(providerId, 1) }, broker);
    const events = await scoreEvents(providerId, 2);
    expect(events.map((e) => e.data)).toMatchObject([
      { revision: 1, responses: 5, score: 4 },
      { revision: 2, responses: 5, score: 3.6 },
    ]);
    // A start's pass (the service's defaults: equal weights, threshold 5)
    // finds nothing to publish: every release is current.
    expect(
      await running.service.stores.providerScores.refreshAll({
        weights: EQUAL_WEIGHTS,
        threshold: 5,
      }),
    ).toBe(0);
  });

  it('keeps one revision per change when surveys of one provider arrive at once', async () => {
    const providerId = randomUUID();
    await Promise.all(
      [5, 5, 4, 4, 3, 3, 5, 4].map((score) =>
        client().ok(SUBMIT, { input: surveyOf(providerId, score) }, broker),
      ),
    );
    const doc = await running.service.stores.providerScores.model
      .findById(providerId)
      .lean();
    // 8 surveys, 33 / 8 = 4.125 → 4.1; 8 → 10 responses.
    expect(doc).toMatchObject({ responses: 10, score: 4.1 });
    const events = await scoreEvents(providerId, doc!.revision);
    // Revisions 1 … n, each once, the last one the stored release.
    expect(
      events.map((e) => (e.data as { revision: number }).revision),
    ).toEqual(Array.from({ length: doc!.revision }, (_, i) => i + 1));
    expect(events.at(-1)?.data).toMatchObject({ responses: 10, score: 4.1 });
  });
});
