import {
  closeCouncilVote,
  castCouncilVote,
  draftStandard,
  draftStandardInput,
  formatStandardCode,
  publishStandardInput,
  returnToDraft,
  reviseStandard,
  sendToCouncil,
} from '../../src/domain/standard';
import { runAutomatedChecks } from '../../src/domain/review';
import type { CouncilSeat, CouncilVoteChoice } from '../../src/domain/council';
import {
  committeeMother,
  elementMother,
  standardMother,
} from '../fixtures/mothers';

const now = new Date('2026-03-01T12:00:00.000Z');

describe('drafting a standard', () => {
  it('lets an installed committee of the same sector own a draft, as version 1 in DRAFT', () => {
    const committee = committeeMother.installed();
    const draft = draftStandard(
      draftStandardInput.parse(standardMother.draftInput(committee)),
      { id: 'std-1', code: 'EC0001', committee, now },
    );
    expect(draft).toMatchObject({
      id: 'std-1',
      code: 'EC0001',
      version: 1,
      status: 'DRAFT',
      committeeId: committee.id,
    });
  });

  it.each([
    ['unknown', null],
    ['dissolved', committeeMother.installed({ status: 'DISSOLVED' })],
  ])(
    'refuses a draft for a %s committee with COMMITTEE_NOT_INSTALLED',
    (_label, committee) => {
      const input = draftStandardInput.parse(
        standardMother.draftInput(committee ?? committeeMother.installed()),
      );
      expect(() =>
        draftStandard(input, { id: 'x', code: 'EC0001', committee, now }),
      ).toThrow(expect.objectContaining({ code: 'COMMITTEE_NOT_INSTALLED' }));
    },
  );

  it('refuses a draft whose sector is not its committee sector with SECTOR_MISMATCH', () => {
    const committee = committeeMother.installed();
    const input = draftStandardInput.parse(
      standardMother.draftInput({
        ...committee,
        sectorId: committeeMother.installed().sectorId,
      }),
    );
    expect(() =>
      draftStandard(input, { id: 'x', code: 'EC0001', committee, now }),
    ).toThrow(expect.objectContaining({ code: 'SECTOR_MISMATCH' }));
  });

  it('refuses a level off the framework, bad validity and repeated element titles, all at once', () => {
    const committee = committeeMother.installed();
    const result = draftStandardInput.safeParse(
      standardMother.draftInput(committee, {
        level: 6,
        validity: { certificateValidityYears: 0, reviewIntervalYears: 11 },
        elements: [elementMother(), elementMother()],
      }),
    );
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'elements.1.title',
      'level',
      'validity.certificateValidityYears',
      'validity.reviewIntervalYears',
    ]);
  });

  it('formats codes as EC and four digits and refuses numbers beyond EC9999', () => {
    expect(formatStandardCode(217)).toBe('EC0217');
    expect(() => formatStandardCode(10_000)).toThrow(
      expect.objectContaining({ code: 'STANDARD_CODES_EXHAUSTED' }),
    );
  });

  it('refuses a gazette date in the future', () => {
    const result = publishStandardInput.safeParse({
      gazetteDate: '2999-01-01',
      gazetteReference: 'DOF 01/01/2999',
    });
    expect(result.error?.issues[0]?.path).toEqual(['gazetteDate']);
  });
});

describe('revising a published standard', () => {
  it('keeps the code and committee, takes the next version and points at the revised one', () => {
    const published = standardMother.inStatus('PUBLISHED', { version: 2 });
    const revision = reviseStandard(published, {
      id: 'rev',
      latestVersion: 2,
      committee: committeeMother.installed({
        id: published.committeeId,
        sectorId: published.sectorId,
      }),
      now,
    });
    expect(revision).toMatchObject({
      code: published.code,
      version: 3,
      status: 'DRAFT',
      revisionOf: published.id,
      elements: published.elements,
    });
  });
});

describe('the methodology review', () => {
  const committeeFor = (s: { committeeId: string; sectorId: string }) =>
    committeeMother.installed({ id: s.committeeId, sectorId: s.sectorId });

  it('passes every automated check for a complete standard', () => {
    const standard = standardMother.inStatus('IN_REVIEW');
    expect(
      runAutomatedChecks(standard, committeeFor(standard)).every(
        (c) => c.passed,
      ),
    ).toBe(true);
  });

  it('flags elements without performance criteria or knowledge, and a sector that is not the committee one', () => {
    const standard = standardMother.inStatus('IN_REVIEW', {
      elements: [
        elementMother({ performanceCriteria: [] }),
        elementMother({ title: 'Evaluar', knowledge: [] }),
      ],
    });
    const failed = runAutomatedChecks(
      standard,
      committeeMother.installed({ id: standard.committeeId }),
    ).filter((c) => !c.passed);
    expect(failed.map((c) => [c.code, c.elementIndex])).toEqual([
      ['ELEMENT_HAS_PERFORMANCE_CRITERIA', 0],
      ['ELEMENT_HAS_KNOWLEDGE', 1],
      ['SECTOR_MATCHES_COMMITTEE', undefined],
    ]);
  });

  it('flags a standard without elements', () => {
    const standard = standardMother.inStatus('IN_REVIEW', { elements: [] });
    const failed = runAutomatedChecks(standard, committeeFor(standard)).filter(
      (c) => !c.passed,
    );
    expect(failed.map((c) => c.code)).toEqual(['HAS_ELEMENTS']);
  });

  it('returns to DRAFT carrying the reviewer findings and the failed checks of the round', () => {
    const standard = standardMother.inStatus('IN_REVIEW', {
      elements: [elementMother({ knowledge: [] })],
    });
    const { standard: returned } = returnToDraft(
      standard,
      [
        {
          message: 'El propósito no menciona a quién sirve',
          elementIndex: null,
        },
      ],
      runAutomatedChecks(standard, committeeFor(standard)),
      now,
    );
    expect(returned.status).toBe('DRAFT');
    expect(returned.findings).toEqual([
      expect.objectContaining({
        round: 1,
        source: 'AUTOMATED_CHECK',
        code: 'ELEMENT_HAS_KNOWLEDGE',
        elementIndex: 0,
      }),
      expect.objectContaining({
        round: 1,
        source: 'REVIEWER',
        message: 'El propósito no menciona a quién sirve',
      }),
    ]);
  });

  it('refuses a return without any finding with FINDINGS_REQUIRED', () => {
    const standard = standardMother.inStatus('IN_REVIEW');
    expect(() =>
      returnToDraft(
        standard,
        [],
        runAutomatedChecks(standard, committeeFor(standard)),
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'FINDINGS_REQUIRED' }));
  });

  it('refuses a finding about an element the standard does not have with ELEMENT_INDEX_OUT_OF_RANGE', () => {
    const standard = standardMother.inStatus('IN_REVIEW', {
      elements: [elementMother(), elementMother({ title: 'Evaluar' })],
    });
    const checks = runAutomatedChecks(standard, committeeFor(standard));
    const withIndex = (elementIndex: number) =>
      returnToDraft(
        standard,
        [
          { message: 'Precisar el propósito', elementIndex: null },
          { message: 'Falta un criterio de desempeño', elementIndex },
        ],
        checks,
        now,
      );
    expect(() => withIndex(2)).toThrow(
      expect.objectContaining({
        kind: 'BAD_USER_INPUT',
        code: 'ELEMENT_INDEX_OUT_OF_RANGE',
        field: 'findings[1].elementIndex',
      }),
    );
    expect(withIndex(1).returned.at(-1)?.elementIndex).toBe(1);
  });

  it('refuses to send a standard with failed checks to the council with REVIEW_CHECKS_FAILED', () => {
    const standard = standardMother.inStatus('IN_REVIEW', { elements: [] });
    expect(() =>
      sendToCouncil(
        standard,
        runAutomatedChecks(standard, committeeFor(standard)),
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'REVIEW_CHECKS_FAILED' }));
  });
});

describe('the technical council vote', () => {
  const vote = (seat: CouncilSeat, choice: CouncilVoteChoice) => ({
    seat,
    vote: choice,
    voter: `voter-${seat}`,
    castAt: now,
  });
  const withVotes = (...votes: ReturnType<typeof vote>[]) =>
    standardMother.inStatus('IN_COUNCIL_VOTE', { councilVotes: votes });

  it('approves on a majority in favour, abstentions counting for neither side', () => {
    const decided = closeCouncilVote(
      withVotes(
        vote('GOVERNMENT_1', 'IN_FAVOR'),
        vote('EMPLOYER_1', 'IN_FAVOR'),
        vote('LABOR_1', 'AGAINST'),
        vote('LABOR_2', 'ABSTAIN'),
      ),
      now,
    );
    expect(decided.status).toBe('APPROVED');
    expect(decided.councilTally).toEqual({
      inFavor: 2,
      against: 1,
      abstentions: 1,
    });
  });

  it('rejects on a tie', () => {
    const decided = closeCouncilVote(
      withVotes(
        vote('GOVERNMENT_1', 'IN_FAVOR'),
        vote('EMPLOYER_1', 'AGAINST'),
        vote('LABOR_1', 'ABSTAIN'),
      ),
      now,
    );
    expect(decided.status).toBe('REJECTED');
  });

  it('refuses to decide before every side has voted with COUNCIL_QUORUM_NOT_MET', () => {
    expect(() =>
      closeCouncilVote(
        withVotes(
          vote('GOVERNMENT_1', 'IN_FAVOR'),
          vote('EMPLOYER_1', 'IN_FAVOR'),
        ),
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'COUNCIL_QUORUM_NOT_MET' }));
  });

  it('refuses a second vote from one seat or from one person', () => {
    const standard = withVotes(vote('GOVERNMENT_1', 'IN_FAVOR'));
    expect(() =>
      castCouncilVote(standard, vote('GOVERNMENT_1', 'AGAINST'), now),
    ).toThrow(expect.objectContaining({ code: 'SEAT_ALREADY_VOTED' }));
    expect(() =>
      castCouncilVote(
        standard,
        { ...vote('LABOR_1', 'AGAINST'), voter: 'voter-GOVERNMENT_1' },
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'VOTER_ALREADY_VOTED' }));
  });

  it('closes by itself when the sixth seat votes', () => {
    let standard = withVotes();
    const seats: CouncilSeat[] = [
      'GOVERNMENT_1',
      'GOVERNMENT_2',
      'EMPLOYER_1',
      'EMPLOYER_2',
      'LABOR_1',
    ];
    for (const seat of seats)
      standard = castCouncilVote(standard, vote(seat, 'AGAINST'), now);
    expect(standard.status).toBe('IN_COUNCIL_VOTE');
    standard = castCouncilVote(standard, vote('LABOR_2', 'IN_FAVOR'), now);
    expect(standard.status).toBe('REJECTED');
    expect(standard.councilTally).toEqual({
      inFavor: 1,
      against: 5,
      abstentions: 0,
    });
  });
});
