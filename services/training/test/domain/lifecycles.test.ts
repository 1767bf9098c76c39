import { v7 as uuidv7 } from 'uuid';
import { ConflictError, InvalidInputError } from '@conecta/service-kit/errors';
import { signAgreement, signAgreementInput } from '../../src/domain/catalog';
import {
  cancelCohort,
  changeCapacity,
  completeCohort,
  scheduleCohort,
  scheduleCohortInput,
  startCohort,
} from '../../src/domain/cohort';
import {
  aggregateDemand,
  cancelDemand,
  fulfillDemand,
  releaseDemand,
  requestDemand,
  requestDemandInput,
} from '../../src/domain/demand';
import {
  completeEnrollment,
  dropEnrollment,
  issueVoucher,
  recordVendorExam,
  useVoucher,
} from '../../src/domain/enrollment';
import { computeIndicators, isCertified } from '../../src/domain/indicators';
import {
  approveProject,
  closeProject,
  draftProject,
  draftProjectInput,
  projectCost,
  rejectProject,
  submitProject,
} from '../../src/domain/project';
import {
  NOW,
  agreementMother,
  cohortMother,
  credentialMother,
  day,
  demandMother,
  enrollmentMother,
  projectMother,
} from '../fixtures/mothers';

const credential = credentialMother.cloudPractitioner();
const target = { kind: 'CREDENTIAL' as const, id: credential.id };

function expectCode(fn: () => unknown, kind: unknown, code: string) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(kind as never);
    expect((error as { code: string }).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('demand requests', () => {
  const input = (overrides: object = {}) =>
    requestDemandInput.parse({
      state: 'MX-JAL',
      city: 'Guadalajara',
      target: { credentialId: credential.id },
      headcount: 25,
      neededBy: day(90),
      ...overrides,
    });

  it('refuse a headcount of zero and a needed-by date in the past', () => {
    expect(
      requestDemandInput.safeParse({
        ...input(),
        target: { credentialId: credential.id },
        headcount: 0,
      }).success,
    ).toBe(false);
    expectCode(
      () =>
        requestDemand(input({ neededBy: day(-1) }), {
          id: uuidv7(),
          now: NOW,
          requesterId: uuidv7(),
        }),
      InvalidInputError,
      'DATE_IN_PAST',
    );
  });

  it('go OPEN → AGGREGATED → FULFILLED, back to OPEN when released, and cancel only while OPEN', () => {
    const open = requestDemand(input(), {
      id: uuidv7(),
      now: NOW,
      requesterId: uuidv7(),
    });
    const aggregated = aggregateDemand(open, 'p1');
    expect(aggregated).toMatchObject({ status: 'AGGREGATED', projectId: 'p1' });
    expect(fulfillDemand(aggregated).status).toBe('FULFILLED');
    expect(releaseDemand(aggregated)).toMatchObject({
      status: 'OPEN',
      projectId: null,
    });
    expectCode(
      () => cancelDemand(aggregated, 'no longer needed'),
      ConflictError,
      'DEMAND_IN_PROJECT',
    );
    const cancelled = cancelDemand(open, 'no longer needed');
    expect(cancelled.status).toBe('CANCELLED');
    expectCode(
      () => aggregateDemand(cancelled, 'p1'),
      ConflictError,
      'INVALID_DEMAND_TRANSITION',
    );
  });
});

describe('agreements', () => {
  const raw = (overrides: object = {}) => ({
    providerId: uuidv7(),
    target: { credentialId: credential.id },
    discountBps: 7_000,
    extraTrainingHours: 20,
    examVouchersPerParticipant: 2,
    validFrom: day(0),
    validUntil: day(365),
    minCohortSize: 10,
    states: ['MX-JAL'],
    ...overrides,
  });
  const input = (overrides: object = {}) =>
    signAgreementInput().safeParse(raw(overrides));

  it("refuse a discount above the seeds' 70% by default with DISCOUNT_OUT_OF_RANGE naming the cap", () => {
    expect(input({ discountBps: 7_000 }).success).toBe(true);
    const parsed = input({ discountBps: 7_001 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['discountBps'],
      message: expect.stringContaining('7000 basis points (70%)'),
      params: { code: 'DISCOUNT_OUT_OF_RANGE' },
    });
  });

  it('refuse a discount above a configured cap, never above 90%', () => {
    const at = (cap: number, discountBps: number) =>
      signAgreementInput(cap).safeParse(raw({ discountBps }));
    expect(at(9_000, 8_500).success).toBe(true);
    expect(at(9_000, 9_001).error?.issues[0]?.message).toContain(
      '9000 basis points (90%)',
    );
    expect(at(5_000, 5_500).success).toBe(false);
    expect(() => signAgreementInput(9_001)).toThrow(RangeError);
  });

  it('price a credential deal at training plus one exam per voucher', () => {
    const parsed = input();
    if (!parsed.success) throw parsed.error;
    const agreement = signAgreement(parsed.data, credential, {
      id: uuidv7(),
      now: NOW,
    });
    expect(agreement.marketPriceCentavos).toBe(1_800_000 + 2 * 300_000);
  });

  it('refuse a validity window that ends before it starts', () => {
    const parsed = input({ validFrom: day(30), validUntil: day(10) });
    if (!parsed.success) throw parsed.error;
    expectCode(
      () => signAgreement(parsed.data, credential, { id: uuidv7(), now: NOW }),
      InvalidInputError,
      'DATES_REVERSED',
    );
  });
});

describe('training projects', () => {
  const agreement = agreementMother.seventyOff(target);

  it('refuse a requested fund share above 80%', () => {
    const parsed = draftProjectInput.safeParse({
      name: 'Talento Digital',
      fundName: 'Fondo',
      agreementId: agreement.id,
      demandRequestIds: [uuidv7()],
      requestedFundShareBps: 8_500,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      'must be at most 8000 basis points (80%)',
    );
  });

  it('aggregate only OPEN demand for the agreement target in a state it serves', () => {
    const input = {
      name: 'Talento Digital',
      fundName: 'Fondo',
      agreementId: agreement.id,
      demandRequestIds: [],
      requestedFundShareBps: 5_000,
    };
    const ctx = { id: uuidv7(), now: NOW, brokerMarkupBps: 500 };
    const ok = demandMother.jaliscoCluster(target);
    const other = demandMother.jaliscoCluster({
      kind: 'STANDARD',
      id: uuidv7(),
    });
    const faraway = demandMother.jaliscoCluster(target, { state: 'MX-YUC' });
    expectCode(
      () => draftProject(input, agreement, [ok, other], ctx),
      InvalidInputError,
      'TARGET_MISMATCH',
    );
    expectCode(
      () => draftProject(input, agreement, [faraway], ctx),
      InvalidInputError,
      'STATE_NOT_SERVED',
    );
    expectCode(
      () =>
        draftProject(input, agreement, [{ ...ok, status: 'AGGREGATED' }], ctx),
      ConflictError,
      'DEMAND_NOT_OPEN',
    );
    const project = draftProject(
      input,
      agreement,
      [ok, demandMother.jaliscoCluster(target, { headcount: 15 })],
      ctx,
    );
    expect(project.participants).toBe(40);
  });

  it('go DRAFT → SUBMITTED → APPROVED → CLOSED and never approve above the requested share', () => {
    const draft = projectMother.draft(agreement);
    expectCode(
      () => approveProject(draft, 5_000, NOW),
      ConflictError,
      'INVALID_PROJECT_TRANSITION',
    );
    const submitted = submitProject(draft, NOW);
    expectCode(
      () => approveProject(submitted, 6_000, NOW),
      InvalidInputError,
      'FUND_SHARE_ABOVE_REQUESTED',
    );
    const approved = approveProject(submitted, 4_000, NOW);
    expect(projectCost(approved, agreement).fundShareBps).toBe(4_000);
    expect(closeProject(approved, NOW).status).toBe('CLOSED');
    expect(
      closeProject(rejectProject(submitted, 'no budget', NOW), NOW).status,
    ).toBe('CLOSED');
  });

  it('show the cost per participant and per project', () => {
    const cost = projectCost(projectMother.draft(agreement), agreement);
    expect(cost.perParticipant.participantShareCentavos).toBe(378_000);
    expect(cost.project.totalCentavos).toBe(756_000 * 25);
  });
});

describe('cohorts', () => {
  const agreement = agreementMother.seventyOff(target);
  const input = (overrides: object = {}) =>
    scheduleCohortInput.parse({
      agreementId: agreement.id,
      venueId: uuidv7(),
      state: 'MX-JAL',
      city: 'Zapopan',
      mode: 'IN_PERSON',
      startsOn: day(10),
      endsOn: day(40),
      capacity: 30,
      ...overrides,
    });
  const ctx = { id: uuidv7(), now: NOW };

  it('refuse reversed dates, a start in the past, a state not served and a capacity below the minimum', () => {
    expectCode(
      () => scheduleCohort(input({ endsOn: day(5) }), agreement, null, ctx),
      InvalidInputError,
      'DATES_REVERSED',
    );
    expectCode(
      () => scheduleCohort(input({ startsOn: day(-2) }), agreement, null, ctx),
      InvalidInputError,
      'DATE_IN_PAST',
    );
    expectCode(
      () => scheduleCohort(input({ state: 'MX-BCN' }), agreement, null, ctx),
      InvalidInputError,
      'STATE_NOT_SERVED',
    );
    expectCode(
      () => scheduleCohort(input({ capacity: 5 }), agreement, null, ctx),
      InvalidInputError,
      'CAPACITY_BELOW_MINIMUM',
    );
    expectCode(
      () => scheduleCohort(input({ mode: 'ONLINE' }), agreement, null, ctx),
      InvalidInputError,
      'MODE_NOT_COVERED',
    );
  });

  it('accept any state for an in-person or hybrid cohort of an agreement that is also online', () => {
    const online = { ...agreement, online: true };
    const hybrid = scheduleCohort(
      input({ state: 'MX-BCN', city: 'Tijuana', mode: 'HYBRID' }),
      online,
      null,
      ctx,
    );
    expect(hybrid).toMatchObject({ state: 'MX-BCN', mode: 'HYBRID' });
  });

  it("refuse an in-person or hybrid cohort outside its venue's state when that is known, and not an online one", () => {
    for (const mode of ['IN_PERSON', 'HYBRID'] as const)
      expectCode(
        () =>
          scheduleCohort(input({ mode, state: 'MX-NLE' }), agreement, null, {
            ...ctx,
            venueState: 'MX-JAL',
          }),
        InvalidInputError,
        'VENUE_STATE_MISMATCH',
      );
    const inState = scheduleCohort(input(), agreement, null, {
      ...ctx,
      venueState: 'MX-JAL',
    });
    expect(inState.state).toBe('MX-JAL');
    const online = scheduleCohort(
      input({ mode: 'ONLINE', state: null, city: null }),
      { ...agreement, online: true },
      null,
      { ...ctx, venueState: 'MX-NLE' },
    );
    expect(online.state).toBeNull();
    const unknownVenueState = scheduleCohort(
      input({ state: 'MX-NLE' }),
      agreement,
      null,
      { ...ctx, venueState: null },
    );
    expect(unknownVenueState.state).toBe('MX-NLE');
  });

  it('start only with the minimum enrolled, then complete; cancel from SCHEDULED or RUNNING only', () => {
    const cohort = scheduleCohort(input(), agreement, null, ctx);
    expectCode(
      () => startCohort(cohort, agreement),
      ConflictError,
      'BELOW_MINIMUM_COHORT',
    );
    const running = startCohort({ ...cohort, enrolled: 12 }, agreement);
    expect(running.status).toBe('RUNNING');
    const completed = completeCohort(running);
    expectCode(
      () => cancelCohort(completed, 'venue closed'),
      ConflictError,
      'INVALID_COHORT_TRANSITION',
    );
    expect(cancelCohort(cohort, 'venue closed').status).toBe('CANCELLED');
  });

  it('refuse a capacity below the enrolled', () => {
    const cohort = cohortMother.scheduled(agreement, { enrolled: 20 });
    expectCode(
      () => changeCapacity(cohort, 19),
      InvalidInputError,
      'CAPACITY_BELOW_ENROLLED',
    );
    expect(changeCapacity(cohort, 20).capacity).toBe(20);
  });
});

describe('enrollments', () => {
  const agreement = agreementMother.seventyOff(target);
  const cohort = cohortMother.scheduled(agreement, { status: 'RUNNING' });

  it('go ENROLLED → COMPLETED or DROPPED, never both', () => {
    const e = enrollmentMother.enrolled(cohort);
    const done = completeEnrollment(e, cohort, NOW);
    expect(done.status).toBe('COMPLETED');
    expectCode(
      () => dropEnrollment(done, 'moved away', NOW),
      ConflictError,
      'INVALID_ENROLLMENT_TRANSITION',
    );
    expectCode(
      () => completeEnrollment(e, { ...cohort, status: 'SCHEDULED' }, NOW),
      ConflictError,
      'COHORT_NOT_STARTED',
    );
  });

  it('issue a voucher once, use it once, and record the vendor exam', () => {
    const e = enrollmentMother.enrolled(cohort);
    expectCode(() => useVoucher(e, NOW), ConflictError, 'VOUCHER_NOT_ISSUED');
    const issued = issueVoucher(e, agreement, NOW);
    expectCode(
      () => issueVoucher(issued, agreement, NOW),
      ConflictError,
      'VOUCHER_ALREADY_ISSUED',
    );
    const used = useVoucher(issued, NOW);
    expectCode(
      () => useVoucher(used, NOW),
      ConflictError,
      'VOUCHER_ALREADY_USED',
    );
    expect(recordVendorExam(used, true).examPassed).toBe(true);
    expectCode(
      () =>
        issueVoucher(e, { ...agreement, examVouchersPerParticipant: 0 }, NOW),
      ConflictError,
      'NO_VOUCHERS',
    );
  });
});

describe('indicators', () => {
  const standardId = uuidv7();
  const agreement = agreementMother.seventyOff({
    kind: 'STANDARD',
    id: standardId,
  });
  const cohort = cohortMother.scheduled(agreement);

  it('count certified only for certificates of the target standard issued after enrolling', () => {
    const e = enrollmentMother.enrolled(cohort);
    const cert = {
      id: uuidv7(),
      personId: e.personId,
      standardId,
      issuedAt: day(70),
      revoked: false,
    };
    expect(isCertified(e, standardId, [cert])).toBe(true);
    expect(isCertified(e, standardId, [{ ...cert, issuedAt: day(-10) }])).toBe(
      false,
    );
    expect(
      isCertified(e, standardId, [{ ...cert, standardId: uuidv7() }]),
    ).toBe(false);
    expect(isCertified(e, standardId, [{ ...cert, revoked: true }])).toBe(
      false,
    );
  });

  it('report trained, completed, vouchers, exams and the certification rate, leaving drop-outs out', () => {
    const people = [
      enrollmentMother.enrolled(cohort, {
        status: 'COMPLETED',
        voucherIssuedAt: NOW,
        voucherUsedAt: NOW,
        examPassed: true,
      }),
      enrollmentMother.enrolled(cohort, { status: 'COMPLETED' }),
      enrollmentMother.enrolled(cohort),
      enrollmentMother.enrolled(cohort, {
        status: 'DROPPED',
        voucherIssuedAt: NOW,
      }),
    ];
    const certified = new Set([people[0]?.id]);
    expect(computeIndicators(people, (e) => certified.has(e.id))).toEqual({
      trained: 3,
      completed: 2,
      dropped: 1,
      vouchersIssued: 1,
      vouchersUsed: 1,
      vendorExamsPassed: 1,
      certified: 1,
      certificationRate: 1 / 3,
      completionRate: 2 / 3,
    });
    expect(computeIndicators([], () => false).certificationRate).toBeNull();
  });
});
