import {
  EQUAL_WEIGHTS,
  newSurvey,
  releaseChanged,
  releasedProviderScore,
  surveyScore,
  type EmployerSurvey,
  type SurveyFactor,
} from '../../src/domain/survey';
import { ADMIN, PUBLIC } from '../fixtures/mothers';

const survey = (
  ratings: Partial<Record<SurveyFactor, number>>,
): EmployerSurvey =>
  newSurvey(
    'survey',
    {
      employerId: 'employer',
      cohortId: 'cohort',
      providerId: null,
      standardId: null,
      credentialId: null,
      ratings: Object.entries(ratings).map(([factor, score]) => ({
        factor: factor as SurveyFactor,
        score: score ?? 0,
      })),
    },
    new Date('2026-03-02T16:00:00.000Z'),
  );

describe('employer survey scores', () => {
  const surveys = [
    survey({ TECHNICAL_SKILL: 5, ENGLISH: 2 }),
    survey({ TECHNICAL_SKILL: 4, ENGLISH: 3 }),
    survey({ TECHNICAL_SKILL: 3 }),
    survey({ TECHNICAL_SKILL: 4, ENGLISH: 3 }),
    survey({ TECHNICAL_SKILL: 4 }),
  ];

  it('averages each factor (sum ÷ count) and weights the averages', () => {
    const weights = { ...EQUAL_WEIGHTS, TECHNICAL_SKILL: 3 };
    // Admins see exact averages, of every factor rated.
    const score = surveyScore(surveys, weights, ADMIN);
    expect(score.responses.value).toBe(5);
    const byFactor = Object.fromEntries(
      score.factors.map((f) => [f.factor, f.average]),
    );
    expect(byFactor).toMatchObject({
      TECHNICAL_SKILL: 4,
      ENGLISH: 8 / 3,
      TEAMWORK: null,
    });
    // (3 × 4 + 1 × 8/3) ÷ 4
    expect(score.weightedAverage).toBeCloseTo((12 + 8 / 3) / 4, 10);
  });

  it('withholds the scores of fewer than 5 surveys from non-admins', () => {
    const few = surveys.slice(0, 2);
    expect(surveyScore(few, EQUAL_WEIGHTS, PUBLIC)).toMatchObject({
      responses: { value: null, suppressed: 'BELOW_THRESHOLD' },
      weightedAverage: null,
    });
    expect(surveyScore(few, EQUAL_WEIGHTS, ADMIN).weightedAverage).toBe(3.5);
  });

  it('refuses a score outside 1–5, a factor rated twice and an empty survey', () => {
    expect(() => survey({ TEAMWORK: 6 })).toThrow(
      'TEAMWORK must be scored 1 to 5',
    );
    expect(() => survey({})).toThrow('rate at least one factor');
    expect(() =>
      newSurvey(
        'x',
        {
          employerId: 'e',
          cohortId: null,
          providerId: null,
          standardId: null,
          credentialId: null,
          ratings: [
            { factor: 'ENGLISH', score: 3 },
            { factor: 'ENGLISH', score: 4 },
          ],
        },
        new Date(),
      ),
    ).toThrow('ENGLISH is rated twice');
  });
});

describe("a provider's survey score as released to other services (issue 17)", () => {
  const rated = (technical: number, teamwork: number) =>
    survey({ TECHNICAL_SKILL: technical, TEAMWORK: teamwork });

  it('releases nothing below the threshold: what a broker reads from surveyScores', () => {
    const four = [rated(5, 5), rated(4, 4), rated(4, 4), rated(3, 3)];
    expect(releasedProviderScore(four, EQUAL_WEIGHTS, 5)).toEqual({
      responses: null,
      score: null,
    });
    // Nothing released yet, nothing released now: no event.
    expect(
      releaseChanged(null, releasedProviderScore(four, EQUAL_WEIGHTS, 5)),
    ).toBe(false);
  });

  it('releases the count rounded to 5 and the weighted average to one decimal', () => {
    // Technical 5, 4, 4, 3, 4, 5, 4 → 29 / 7 = 4.142 9; teamwork 3 × 7 = 3.
    // Weights 3 : 1 → (3 × 29/7 + 3) / 4 = (87/7 + 21/7) / 4 = 108/28 = 3.857 → 3.9.
    const seven = [5, 4, 4, 3, 4, 5, 4].map((t) => rated(t, 3));
    const weights = { ...EQUAL_WEIGHTS, TECHNICAL_SKILL: 3 };
    const released = releasedProviderScore(seven, weights, 5);
    expect(released.responses).toBe(5); // 7 → 5
    expect(released.score).toBeCloseTo(3.9, 10);
    expect(releaseChanged(null, released)).toBe(true);
    // An eighth survey moves the count to 10 (8 → 10): a change.
    const eight = releasedProviderScore([...seven, rated(4, 3)], weights, 5);
    expect(eight.responses).toBe(10);
    expect(releaseChanged(released, eight)).toBe(true);
    // The same release again is not a change.
    expect(releaseChanged(eight, { ...eight })).toBe(false);
  });
});
