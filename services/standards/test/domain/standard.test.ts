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
  councilMother,
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

describe('the technical council vote (case-study council: 13 seats, quorum 7)', () => {
  const council = councilMother.caseStudy();
  const vote = (seat: CouncilSeat, choice: CouncilVoteChoice) =>
    councilMother.vote(seat, choice, now);
  const withVotes = (...votes: ReturnType<typeof vote>[]) =>
    standardMother.inStatus('IN_COUNCIL_VOTE', { councilVotes: votes });
  /** The first `n` seats, every side among the first three, the chair last. */
  const seats = (n: number) =>
    councilMother.seatsSidesFirst(council).slice(0, n);

  it('approves on a majority in favour once the quorum voted, abstentions counting for neither side', () => {
    const [a, b, c, d, e, f, g] = seats(7) as [CouncilSeat, ...CouncilSeat[]];
    const decided = closeCouncilVote(
      withVotes(
        vote(a, 'IN_FAVOR'),
        vote(b!, 'IN_FAVOR'),
        vote(c!, 'AGAINST'),
        vote(d!, 'ABSTAIN'),
        vote(e!, 'ABSTAIN'),
        vote(f!, 'ABSTAIN'),
        vote(g!, 'ABSTAIN'),
      ),
      council,
      now,
    );
    expect(decided.status).toBe('APPROVED');
    expect(decided.councilTally).toEqual({
      inFavor: 2,
      against: 1,
      abstentions: 4,
    });
  });

  it('rejects a tie the chair did not vote in', () => {
    const votes = seats(7).map((seat, i) =>
      vote(seat, i < 3 ? 'IN_FAVOR' : i < 6 ? 'AGAINST' : 'ABSTAIN'),
    );
    const decided = closeCouncilVote(withVotes(...votes), council, now);
    expect(decided.status).toBe('REJECTED');
  });

  it('refuses to decide with fewer votes than the quorum, or before every side has voted, with COUNCIL_QUORUM_NOT_MET', () => {
    const sixOfSeven = seats(6).map((seat) => vote(seat, 'IN_FAVOR'));
    expect(() =>
      closeCouncilVote(withVotes(...sixOfSeven), council, now),
    ).toThrow(expect.objectContaining({ code: 'COUNCIL_QUORUM_NOT_MET' }));
    const governmentOnly = [
      'CHAIR',
      'GOVERNMENT_1',
      'GOVERNMENT_2',
      'GOVERNMENT_3',
      'GOVERNMENT_4',
      'GOVERNMENT_5',
      'GOVERNMENT_6',
    ] as const;
    expect(() =>
      closeCouncilVote(
        withVotes(...governmentOnly.map((seat) => vote(seat, 'IN_FAVOR'))),
        council,
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'COUNCIL_QUORUM_NOT_MET' }));
  });

  it('refuses a second vote from one seat or from one person', () => {
    const standard = withVotes(vote('GOVERNMENT_1', 'IN_FAVOR'));
    expect(() =>
      castCouncilVote(standard, vote('GOVERNMENT_1', 'AGAINST'), council, now),
    ).toThrow(expect.objectContaining({ code: 'SEAT_ALREADY_VOTED' }));
    expect(() =>
      castCouncilVote(
        standard,
        { ...vote('LABOR_1', 'AGAINST'), voter: 'voter-GOVERNMENT_1' },
        council,
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'VOTER_ALREADY_VOTED' }));
  });

  it('closes by itself when the last of the thirteen seats votes', () => {
    let standard = withVotes();
    const [last, ...first] = seats(13).reverse() as [
      CouncilSeat,
      ...CouncilSeat[],
    ];
    for (const seat of first)
      standard = castCouncilVote(standard, vote(seat, 'AGAINST'), council, now);
    expect(standard.status).toBe('IN_COUNCIL_VOTE');
    standard = castCouncilVote(standard, vote(last, 'IN_FAVOR'), council, now);
    expect(standard.status).toBe('REJECTED');
    expect(standard.councilTally).toEqual({
      inFavor: 1,
      against: 12,
      abstentions: 0,
    });
  });
});
