import { ConflictError } from '@conecta/service-kit/errors';
import {
  STANDARD_STATUSES,
  assertTransition,
  canTransition,
  type StandardStatus,
} from '../../src/domain/lifecycle';
import {
  castCouncilVote,
  closeCouncilVote,
  editDraft,
  publishStandard,
  returnToDraft,
  reviseStandard,
  sendToCouncil,
  startReview,
  submitStandard,
  supersedeStandard,
  withdrawStandard,
  type CompetencyStandard,
} from '../../src/domain/standard';
import type { CouncilVote } from '../../src/domain/council';
import {
  committeeMother,
  councilMother,
  standardMother,
} from '../fixtures/mothers';

const LEGAL: ReadonlyArray<[StandardStatus, StandardStatus]> = [
  ['DRAFT', 'SUBMITTED'],
  ['SUBMITTED', 'IN_REVIEW'],
  ['IN_REVIEW', 'DRAFT'],
  ['IN_REVIEW', 'IN_COUNCIL_VOTE'],
  ['IN_COUNCIL_VOTE', 'APPROVED'],
  ['IN_COUNCIL_VOTE', 'REJECTED'],
  ['APPROVED', 'PUBLISHED'],
  ['PUBLISHED', 'WITHDRAWN'],
  ['PUBLISHED', 'SUPERSEDED'],
];
const isLegal = (from: StandardStatus, to: StandardStatus) =>
  LEGAL.some(([f, t]) => f === from && t === to);

const ALL_PAIRS = STANDARD_STATUSES.flatMap((from) =>
  STANDARD_STATUSES.map((to) => [from, to] as const),
);

describe('the lifecycle table', () => {
  it.each(ALL_PAIRS)(
    '%s → %s is legal only if the design says so',
    (from, to) => {
      expect(canTransition(from, to)).toBe(isLegal(from, to));
      if (isLegal(from, to)) {
        expect(() => assertTransition(from, to)).not.toThrow();
      } else {
        const source = LEGAL.find(([, t]) => t === to)?.[0];
        expect(() => assertTransition(from, to)).toThrow(
          expect.objectContaining({ code: `STANDARD_NOT_${source}` }),
        );
      }
    },
  );
});

// Enough votes for a quorum and a majority in favour.
const COUNCIL = councilMother.caseStudy();
const MAJORITY: CouncilVote[] = councilMother.quorumInFavor(COUNCIL);

/** Every action, the one status it works from, and the code it refuses others with. */
const ACTIONS: ReadonlyArray<{
  name: string;
  from: StandardStatus;
  code: string;
  run: (s: CompetencyStandard) => unknown;
}> = [
  {
    name: 'edit the draft',
    from: 'DRAFT',
    code: 'STANDARD_NOT_DRAFT',
    run: (s) =>
      editDraft(s, { title: 'Nuevo título del estándar' }, new Date()),
  },
  {
    name: 'submit',
    from: 'DRAFT',
    code: 'STANDARD_NOT_DRAFT',
    run: (s) =>
      submitStandard(
        s,
        committeeMother.installed({ id: s.committeeId, sectorId: s.sectorId }),
        new Date(),
      ),
  },
  {
    name: 'start the review',
    from: 'SUBMITTED',
    code: 'STANDARD_NOT_SUBMITTED',
    run: (s) => startReview(s, new Date()),
  },
  {
    name: 'return to draft',
    from: 'IN_REVIEW',
    code: 'STANDARD_NOT_IN_REVIEW',
    run: (s) =>
      returnToDraft(s, [{ message: 'Falta un elemento' }], [], new Date()),
  },
  {
    name: 'send to the council',
    from: 'IN_REVIEW',
    code: 'STANDARD_NOT_IN_REVIEW',
    run: (s) => sendToCouncil(s, [], new Date()),
  },
  {
    name: 'cast a vote',
    from: 'IN_COUNCIL_VOTE',
    code: 'STANDARD_NOT_IN_COUNCIL_VOTE',
    run: (s) =>
      castCouncilVote(
        s,
        { seat: 'LABOR_2', vote: 'AGAINST', voter: 'c-9', castAt: new Date() },
        COUNCIL,
        new Date(),
      ),
  },
  {
    name: 'close the vote',
    from: 'IN_COUNCIL_VOTE',
    code: 'STANDARD_NOT_IN_COUNCIL_VOTE',
    run: (s) =>
      closeCouncilVote({ ...s, councilVotes: MAJORITY }, COUNCIL, new Date()),
  },
  {
    name: 'publish',
    from: 'APPROVED',
    code: 'STANDARD_NOT_APPROVED',
    run: (s) =>
      publishStandard(
        s,
        { gazetteDate: '2026-03-02', gazetteReference: 'DOF 02/03/2026' },
        new Date(),
      ),
  },
  {
    name: 'withdraw',
    from: 'PUBLISHED',
    code: 'STANDARD_NOT_PUBLISHED',
    run: (s) => withdrawStandard(s, 'Ocupación obsoleta', new Date()),
  },
  {
    name: 'supersede',
    from: 'PUBLISHED',
    code: 'STANDARD_NOT_PUBLISHED',
    run: (s) => supersedeStandard(s, 'revision-id', new Date()),
  },
  {
    name: 'revise',
    from: 'PUBLISHED',
    code: 'STANDARD_NOT_PUBLISHED',
    run: (s) =>
      reviseStandard(s, {
        id: 'revision-id',
        latestVersion: 1,
        committee: committeeMother.installed({
          id: s.committeeId,
          sectorId: s.sectorId,
        }),
        now: new Date(),
      }),
  },
];

describe.each(ACTIONS)('$name', ({ from, code, run }) => {
  it.each([...STANDARD_STATUSES])(
    `from %s: works only from ${from}, otherwise ${code}`,
    (status) => {
      const standard = standardMother.inStatus(status);
      if (status === from) {
        expect(() => run(standard)).not.toThrow();
      } else {
        let error: unknown;
        try {
          run(standard);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ConflictError);
        expect((error as ConflictError).code).toBe(code);
      }
    },
  );
});
