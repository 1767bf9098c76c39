import { v7 as uuidv7 } from 'uuid';
import { InvalidInputError } from '@conecta/service-kit/errors';
import {
  MAX_BATCH_PARTICIPANTS,
  agreementFor,
  checkCohortRecords,
  checkCohortReferences,
  historicalCohort,
  parseCohortRecords,
  type IndexedCohortRecord,
  type KnownForCohorts,
} from '../../src/domain/cohort-history';
import { assertValidBatch } from '../../src/domain/history';
import {
  NOW,
  agreementMother,
  cohortHistoryMother as history,
  projectMother,
} from '../fixtures/mothers';

/** Parses records that must be well-formed. */
function parsed(...raw: object[]): IndexedCohortRecord[] {
  const { valid, problems } = parseCohortRecords(raw);
  expect(problems).toEqual([]);
  return valid;
}

const reasonsOf = (problems: { field: string; reason: string }[]) =>
  problems.map(({ field, reason }) => [field, reason]);

describe('the shape of a past cohort', () => {
  it('names the bad field of a participant, and keeps checking the other records', () => {
    const good = history.record();
    const bad = history.record({
      participants: [
        { personId: uuidv7(), outcome: 'PASSED', outcomeOn: new Date() },
      ],
    });
    const { valid, problems } = parseCohortRecords([good, bad]);
    expect(valid.map((v) => v.index)).toEqual([0]);
    expect(reasonsOf(problems)).toEqual([
      ['input.records[1].participants[0].outcome', 'INVALID_INPUT'],
    ]);
  });

  it('refuses a cohort with nobody in it and an unknown state', () => {
    const { problems } = parseCohortRecords([
      history.record({ participants: [], state: 'MX-XXX' }),
    ]);
    expect(problems.map((p) => p.field).sort()).toEqual([
      'input.records[0].participants',
      'input.records[0].state',
    ]);
  });
});

describe('the rules of a past cohort', () => {
  it('accepts a cohort that ended, with outcomes on its days', () => {
    expect(checkCohortRecords(parsed(history.record()), NOW)).toEqual([]);
  });

  it('refuses a cohort that starts today or ends in the future, naming each date', () => {
    const today = new Date('2026-03-02T00:00:00.000Z');
    const problems = checkCohortRecords(
      parsed(
        history.record({
          startsOn: today,
          endsOn: new Date('2026-03-20T00:00:00.000Z'),
          participants: [
            { personId: uuidv7(), outcome: 'COMPLETED', outcomeOn: today },
          ],
        }),
        history.record({
          startsOn: new Date('2026-02-20T00:00:00.000Z'),
          endsOn: today,
          participants: [
            { personId: uuidv7(), outcome: 'COMPLETED', outcomeOn: today },
          ],
        }),
      ),
      NOW,
    );
    expect(reasonsOf(problems)).toEqual([
      ['input.records[0].startsOn', 'DATE_IN_FUTURE'],
      ['input.records[0].endsOn', 'DATE_IN_FUTURE'],
      ['input.records[1].endsOn', 'DATE_IN_FUTURE'],
    ]);
  });

  it('refuses an end before the start, and a start before 1995', () => {
    const problems = checkCohortRecords(
      parsed(
        history.record({
          startsOn: new Date('2021-03-19T00:00:00.000Z'),
          endsOn: new Date('2021-03-01T00:00:00.000Z'),
          participants: [
            {
              personId: uuidv7(),
              outcome: 'COMPLETED',
              outcomeOn: new Date('2021-03-10T00:00:00.000Z'),
            },
          ],
        }),
        history.record({
          startsOn: new Date('1994-12-01T00:00:00.000Z'),
          endsOn: new Date('1995-01-20T00:00:00.000Z'),
          participants: [
            {
              personId: uuidv7(),
              outcome: 'COMPLETED',
              outcomeOn: new Date('1995-01-20T00:00:00.000Z'),
            },
          ],
        }),
      ),
      NOW,
    );
    expect(reasonsOf(problems)).toEqual([
      ['input.records[0].endsOn', 'DATES_REVERSED'],
      ['input.records[0].participants[0].outcomeOn', 'OUTCOME_OUTSIDE_COHORT'],
      ['input.records[1].startsOn', 'DATE_TOO_EARLY'],
    ]);
  });

  it('refuses outcomes dated outside the cohort, on either side, and accepts its first and last days', () => {
    const person = () => uuidv7();
    const problems = checkCohortRecords(
      parsed(
        history.record({
          participants: [
            {
              personId: person(),
              outcome: 'DROPPED',
              outcomeOn: new Date('2021-02-28T00:00:00.000Z'),
            },
            {
              personId: person(),
              outcome: 'COMPLETED',
              outcomeOn: new Date('2021-03-20T00:00:00.000Z'),
            },
            {
              personId: person(),
              outcome: 'DROPPED',
              outcomeOn: new Date('2021-03-01T00:00:00.000Z'),
            },
            {
              personId: person(),
              outcome: 'COMPLETED',
              outcomeOn: new Date('2021-03-19T23:00:00.000Z'),
            },
          ],
        }),
      ),
      NOW,
    );
    expect(reasonsOf(problems)).toEqual([
      ['input.records[0].participants[0].outcomeOn', 'OUTCOME_OUTSIDE_COHORT'],
      ['input.records[0].participants[1].outcomeOn', 'OUTCOME_OUTSIDE_COHORT'],
    ]);
  });

  it('refuses a folio twice in a batch, a person twice in a cohort, a reason for who completed, too few seats and a missing place', () => {
    const personId = uuidv7();
    const on = new Date('2021-03-19T00:00:00.000Z');
    const first = history.record({ folio: 'CUR-1' });
    const problems = checkCohortRecords(
      parsed(
        first,
        history.record({
          folio: 'CUR-1',
          state: null,
          city: null,
          capacity: 1,
          participants: [
            { personId, outcome: 'COMPLETED', outcomeOn: on },
            {
              personId,
              outcome: 'COMPLETED',
              outcomeOn: on,
              dropReason: 'no',
            },
          ],
        }),
      ),
      NOW,
    );
    expect(reasonsOf(problems)).toEqual([
      ['input.records[1].folio', 'DUPLICATE_FOLIO'],
      ['input.records[1].state', 'STATE_REQUIRED'],
      ['input.records[1].city', 'CITY_REQUIRED'],
      ['input.records[1].capacity', 'CAPACITY_BELOW_ENROLLED'],
      ['input.records[1].participants[1].personId', 'DUPLICATE_PARTICIPANT'],
      [
        'input.records[1].participants[1].dropReason',
        'REASON_ONLY_WHEN_DROPPED',
      ],
    ]);
  });

  it('lets an online cohort name no place', () => {
    expect(
      checkCohortRecords(
        parsed(history.record({ mode: 'ONLINE', state: null, city: null })),
        NOW,
      ),
    ).toEqual([]);
  });

  it(`refuses a batch of more than ${MAX_BATCH_PARTICIPANTS} participants in all`, () => {
    const on = new Date('2021-03-19T00:00:00.000Z');
    const crowd = () =>
      Array.from({ length: 1_000 }, () => ({
        personId: uuidv7(),
        outcome: 'COMPLETED',
        outcomeOn: on,
      }));
    const records = parsed(
      ...Array.from({ length: 11 }, (_, i) =>
        history.record({ folio: `CUR-${i}`, participants: crowd() }),
      ),
    );
    expect(reasonsOf(checkCohortRecords(records, NOW))).toEqual([
      ['input.records', 'BATCH_TOO_LARGE'],
    ]);
    expect(checkCohortRecords(records.slice(0, 10), NOW)).toEqual([]);
  });
});

describe('what a past cohort names must be known', () => {
  const standardId = uuidv7();
  const providerId = uuidv7();
  const target = { kind: 'STANDARD' as const, id: standardId };
  const agreement2019 = agreementMother.seventyOff(target, {
    providerId,
    validFrom: new Date('2019-01-01T00:00:00.000Z'),
    validUntil: new Date('2021-12-31T00:00:00.000Z'),
  });
  const agreement2020 = agreementMother.seventyOff(target, {
    providerId,
    validFrom: new Date('2020-06-01T00:00:00.000Z'),
    validUntil: new Date('2027-12-31T00:00:00.000Z'),
  });
  const record = (overrides: Record<string, unknown> = {}) =>
    history.record({
      providerId,
      target: { standardId },
      ...overrides,
    });
  const knownFor = (
    rs: IndexedCohortRecord[],
    overrides: Partial<KnownForCohorts> = {},
  ): KnownForCohorts => ({
    organizations: new Set(
      rs.flatMap(({ record: r }) => [r.providerId, r.venueId ?? r.providerId]),
    ),
    standards: new Set([standardId]),
    credentials: new Set(),
    persons: new Set(
      rs.flatMap(({ record: r }) => r.participants.map((p) => p.personId)),
    ),
    agreements: [agreement2019, agreement2020],
    projects: [],
    ...overrides,
  });

  it('finds the agreement valid over the cohort: the latest to start when two are', () => {
    const [march2021] = parsed(record());
    expect(
      agreementFor(march2021!.record, [agreement2019, agreement2020]),
    ).toBe(agreement2020);
    const [march2020] = parsed(
      record({
        startsOn: new Date('2020-03-01T00:00:00.000Z'),
        endsOn: new Date('2020-03-19T00:00:00.000Z'),
        participants: [
          {
            personId: uuidv7(),
            outcome: 'COMPLETED',
            outcomeOn: new Date('2020-03-19T00:00:00.000Z'),
          },
        ],
      }),
    );
    expect(
      agreementFor(march2020!.record, [agreement2019, agreement2020]),
    ).toBe(agreement2019);
    expect(checkCohortReferences([march2020!], knownFor([march2020!]))).toEqual(
      [],
    );
  });

  it('refuses a cohort no agreement of its provider covers, naming agreementId', () => {
    const rs = parsed(
      record({
        startsOn: new Date('2018-03-01T00:00:00.000Z'),
        endsOn: new Date('2018-03-19T00:00:00.000Z'),
        participants: [
          {
            personId: uuidv7(),
            outcome: 'COMPLETED',
            outcomeOn: new Date('2018-03-19T00:00:00.000Z'),
          },
        ],
      }),
      record({ providerId: uuidv7() }),
    );
    expect(reasonsOf(checkCohortReferences(rs, knownFor(rs)))).toEqual([
      ['input.records[0].agreementId', 'AGREEMENT_NOT_FOUND'],
      ['input.records[1].agreementId', 'AGREEMENT_NOT_FOUND'],
    ]);
  });

  it('refuses a named agreement of another provider, another target, or whose validity does not cover the cohort', () => {
    const other = agreementMother.seventyOff(target);
    const credential = agreementMother.seventyOff(
      { kind: 'CREDENTIAL', id: uuidv7() },
      { providerId },
    );
    const rs = parsed(
      record({ agreementId: other.id }),
      record({ agreementId: credential.id }),
      record({
        agreementId: agreement2019.id,
        endsOn: new Date('2022-01-10T00:00:00.000Z'),
        startsOn: new Date('2021-12-20T00:00:00.000Z'),
        participants: [
          {
            personId: uuidv7(),
            outcome: 'COMPLETED',
            outcomeOn: new Date('2022-01-10T00:00:00.000Z'),
          },
        ],
      }),
      record({ agreementId: uuidv7() }),
    );
    const known = knownFor(rs, {
      agreements: [agreement2019, agreement2020, other, credential],
    });
    expect(reasonsOf(checkCohortReferences(rs, known))).toEqual([
      ['input.records[0].agreementId', 'AGREEMENT_MISMATCH'],
      ['input.records[1].agreementId', 'AGREEMENT_MISMATCH'],
      ['input.records[2].endsOn', 'OUTSIDE_AGREEMENT_VALIDITY'],
      ['input.records[3].agreementId', 'AGREEMENT_NOT_FOUND'],
    ]);
  });

  it('refuses an unknown provider, venue, standard and person, each by its field', () => {
    const [one] = parsed(record({ venueId: uuidv7() }));
    const known = knownFor([one!], {
      organizations: new Set([providerId]),
      standards: new Set(),
      persons: new Set([one!.record.participants[0]!.personId]),
    });
    expect(reasonsOf(checkCohortReferences([one!], known))).toEqual([
      ['input.records[0].venueId', 'ORGANIZATION_NOT_FOUND'],
      ['input.records[0].target.standardId', 'STANDARD_NOT_FOUND'],
      ['input.records[0].participants[1].personId', 'PERSON_NOT_FOUND'],
      ['input.records[0].participants[2].personId', 'PERSON_NOT_FOUND'],
    ]);
  });

  it("takes a project under the cohort's agreement that the fund approved", () => {
    const approved = projectMother.draft(agreement2020, {
      status: 'APPROVED',
      approvedFundShareBps: 5_000,
    });
    const closedApproved = {
      ...approved,
      id: uuidv7(),
      status: 'CLOSED' as const,
    };
    const rejected = {
      ...approved,
      id: uuidv7(),
      status: 'CLOSED' as const,
      approvedFundShareBps: null,
    };
    const otherAgreement = { ...approved, id: uuidv7(), agreementId: uuidv7() };
    const rs = parsed(
      record({ projectId: approved.id }),
      record({ projectId: closedApproved.id }),
      record({ projectId: rejected.id }),
      record({ projectId: otherAgreement.id }),
      record({ projectId: uuidv7() }),
    );
    const known = knownFor(rs, {
      projects: [approved, closedApproved, rejected, otherAgreement],
    });
    expect(reasonsOf(checkCohortReferences(rs, known))).toEqual([
      ['input.records[2].projectId', 'PROJECT_NOT_APPROVED'],
      ['input.records[3].projectId', 'PROJECT_AGREEMENT_MISMATCH'],
      ['input.records[4].projectId', 'PROJECT_NOT_FOUND'],
    ]);
  });

  it('refuses the whole batch naming the first problem and listing all', () => {
    const rs = parsed(record(), record({ providerId: uuidv7() }));
    const problems = checkCohortReferences(rs, knownFor(rs));
    let thrown: unknown;
    try {
      assertValidBatch(problems);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect(thrown).toMatchObject({ field: 'input.records[1].agreementId' });
  });
});

describe('what a past cohort becomes', () => {
  it('is COMPLETED on its dates, its people enrolled on its first day and finished on their own, seats for who completed', () => {
    const [{ record }] = parsed(history.record()) as [IndexedCohortRecord];
    const agreement = agreementMother.seventyOff({
      kind: 'STANDARD',
      id: uuidv7(),
    });
    const ids = {
      cohortId: uuidv7(),
      enrollmentIds: [uuidv7(), uuidv7(), uuidv7()],
    };
    const { cohort, enrollments } = historicalCohort(record, agreement, {
      ...ids,
      source: history.source,
      importedBy: 'admin-1',
      importedAt: NOW,
    });
    expect(cohort).toMatchObject({
      id: ids.cohortId,
      agreementId: agreement.id,
      venueId: record.providerId,
      mode: 'IN_PERSON',
      status: 'COMPLETED',
      startsOn: new Date('2021-03-01T00:00:00.000Z'),
      endsOn: new Date('2021-03-19T00:00:00.000Z'),
      scheduledAt: new Date('2021-03-01T00:00:00.000Z'),
      capacity: 3,
      enrolled: 2,
      provenance: {
        source: history.source,
        folio: record.folio,
        importedBy: 'admin-1',
        importedAt: NOW,
      },
    });
    expect(
      enrollments.map((e) => [
        e.id,
        e.status,
        e.enrolledAt.toISOString(),
        e.completedAt?.toISOString() ?? null,
        e.droppedAt?.toISOString() ?? null,
        e.dropReason,
      ]),
    ).toEqual([
      [
        ids.enrollmentIds[0],
        'COMPLETED',
        '2021-03-01T00:00:00.000Z',
        '2021-03-19T00:00:00.000Z',
        null,
        null,
      ],
      [
        ids.enrollmentIds[1],
        'COMPLETED',
        '2021-03-01T00:00:00.000Z',
        '2021-03-19T00:00:00.000Z',
        null,
        null,
      ],
      [
        ids.enrollmentIds[2],
        'DROPPED',
        '2021-03-01T00:00:00.000Z',
        null,
        '2021-03-10T00:00:00.000Z',
        'Consiguió empleo',
      ],
    ]);
  });

  it("defaults a drop-out's reason to the register", () => {
    const [{ record }] = parsed(
      history.record({
        participants: [
          {
            personId: uuidv7(),
            outcome: 'DROPPED',
            outcomeOn: new Date('2021-03-02T00:00:00.000Z'),
          },
        ],
      }),
    ) as [IndexedCohortRecord];
    const { enrollments, cohort } = historicalCohort(
      record,
      agreementMother.seventyOff({ kind: 'STANDARD', id: uuidv7() }),
      {
        cohortId: uuidv7(),
        enrollmentIds: [uuidv7()],
        source: history.source,
        importedBy: 'admin-1',
        importedAt: NOW,
      },
    );
    expect(enrollments[0]!.dropReason).toBe(
      `Recorded as dropped in ${history.source}`,
    );
    expect(cohort.enrolled).toBe(0);
  });
});
