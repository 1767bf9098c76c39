import { committeeFigures } from '../../src/domain/figures';
import {
  castCouncilVote,
  closeCouncilVote,
  draftStandard,
  draftStandardInput,
  publishStandard,
  sendToCouncil,
  startReview,
  submitStandard,
} from '../../src/domain/standard';
import type { StandardStatus } from '../../src/domain/lifecycle';
import {
  committeeMother,
  councilMother,
  standardMother,
} from '../fixtures/mothers';

const DAY_MS = 86_400_000;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * DAY_MS);
const committee = committeeMother.installed();
const council = councilMother.caseStudy();

/**
 * A standard taken through its lifecycle, entering each stage on the given
 * day (from 1 January 2026): drafted, submitted, reviewed, sent to council,
 * approved, and published in the gazette of `gazetteDay`.
 */
function throughLifecycle(on: {
  drafted: number;
  submitted?: number;
  reviewed?: number;
  toCouncil?: number;
  approved?: number;
  gazette?: number;
}) {
  let s = draftStandard(
    draftStandardInput.parse(standardMother.draftInput(committee)),
    {
      id: `std-${on.drafted}`,
      code: 'EC0001',
      committee,
      now: day(on.drafted),
    },
  );
  if (on.submitted === undefined) return s;
  s = submitStandard(s, committee, day(on.submitted));
  if (on.reviewed === undefined) return s;
  s = startReview(s, day(on.reviewed));
  if (on.toCouncil === undefined) return s;
  s = sendToCouncil(s, [], day(on.toCouncil));
  if (on.approved === undefined) return s;
  for (const vote of councilMother.quorumInFavor(council))
    s = castCouncilVote(s, vote, council, day(on.approved));
  s = closeCouncilVote(s, council, day(on.approved));
  if (on.gazette === undefined) return s;
  const date = day(on.gazette).toISOString().slice(0, 10);
  return publishStandard(
    s,
    { gazetteDate: date, gazetteReference: `DOF ${date}` },
    day(on.gazette + 2),
  );
}

describe("a committee's time-in-stage and publication-delay figures", () => {
  it('records when a standard entered each status', () => {
    const s = throughLifecycle({
      drafted: 0,
      submitted: 10,
      reviewed: 12,
      toCouncil: 20,
      approved: 30,
      gazette: 45,
    });
    expect(
      s.stageHistory?.map((e) => [e.status, e.at.toISOString().slice(0, 10)]),
    ).toEqual([
      ['DRAFT', '2026-01-01'],
      ['SUBMITTED', '2026-01-11'],
      ['IN_REVIEW', '2026-01-13'],
      ['IN_COUNCIL_VOTE', '2026-01-21'],
      ['APPROVED', '2026-01-31'],
      ['PUBLISHED', '2026-02-17'],
    ]);
  });

  it('averages the completed stays of each stage and counts the open ones', () => {
    const figures = committeeFigures([
      throughLifecycle({
        drafted: 0,
        submitted: 10,
        reviewed: 12,
        toCouncil: 20,
        approved: 30,
        gazette: 45,
      }),
      throughLifecycle({
        drafted: 0,
        submitted: 20,
        reviewed: 24,
        toCouncil: 40,
        approved: 50,
        gazette: 55,
      }),
      throughLifecycle({ drafted: 5, submitted: 15 }),
      throughLifecycle({ drafted: 60 }),
    ]);
    const stage = (status: StandardStatus) =>
      figures.stages.find((s) => s.status === status);
    // DRAFT: 10, 20 and 10 days; one draft still open.
    expect(stage('DRAFT')).toEqual({
      status: 'DRAFT',
      completedStays: 3,
      averageDays: 13.3,
      maxDays: 20,
      inStageNow: 1,
    });
    expect(stage('SUBMITTED')).toMatchObject({
      completedStays: 2,
      averageDays: 3,
      inStageNow: 1,
    });
    expect(stage('IN_COUNCIL_VOTE')).toMatchObject({
      completedStays: 2,
      averageDays: 10,
    });
    // APPROVED until the publication was recorded, two days after the
    // gazette: 17 and 7 days.
    expect(stage('APPROVED')).toMatchObject({
      completedStays: 2,
      averageDays: 12,
    });
    expect(figures).toMatchObject({
      published: 2,
      // 45 and 55 days from drafting to the gazette; 15 and 5 from approval.
      averageDaysDraftToGazette: 50,
      averageDaysApprovalToGazette: 10,
    });
  });

  it('has no averages without stays, and leaves versions without a recorded history out of them', () => {
    const legacy = {
      ...standardMother.inStatus('PUBLISHED', {
        draftedAt: day(0),
        gazette: {
          date: '2026-03-02',
          reference: 'DOF 02/03/2026',
          publishedAt: day(61),
        },
      }),
      stageHistory: undefined,
    };
    const figures = committeeFigures([legacy]);
    expect(figures.stages.every((s) => s.averageDays === null)).toBe(true);
    expect(figures).toMatchObject({
      published: 1,
      averageDaysDraftToGazette: 60,
      averageDaysApprovalToGazette: null,
    });
    expect(committeeFigures([])).toMatchObject({
      published: 0,
      averageDaysDraftToGazette: null,
    });
  });
});
