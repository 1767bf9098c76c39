import { v7 as uuidv7 } from 'uuid';
import type { CertificateView } from '../../src/domain/certificates';
import { certificateIdsOf, planBatch } from '../../src/events/plan';
import { eventMother as events, projectMother } from '../fixtures/mothers';

const bucket = (plan: ReturnType<typeof planBatch>, prefix: string) =>
  plan.buckets.filter((b) => b.id.startsWith(prefix));

describe('summing a batch of events in memory', () => {
  it('adds the facts of one month into one increment, and writes no quarter or year', () => {
    const standardId = uuidv7();
    const batch = [
      events.demandRequested('2024-03-05T12:00:00Z', 10, { standardId }),
      events.demandRequested('2024-03-20T12:00:00Z', 15, { standardId }),
      events.demandRequested('2024-05-01T12:00:00Z', 7, { standardId }),
    ];
    const plan = planBatch(batch);
    const headcount = bucket(plan, 'DEMAND_HEADCOUNT|');
    const amount = (granularity: string, period: string) =>
      headcount.find(
        (b) => b.granularity === granularity && b.period === period,
      )?.amount;
    expect(amount('MONTH', '2024-03')).toBe(25);
    expect(amount('MONTH', '2024-05')).toBe(7);
    // Two months: one write each (quarters and years are summed at read time).
    expect(headcount).toHaveLength(2);
    expect(plan.buckets.every((b) => b.granularity === 'MONTH')).toBe(true);
    expect(bucket(plan, 'DEMAND_REQUESTS|MONTH|2024-03')[0]?.amount).toBe(2);
    expect(plan.applied.map((a) => a.id)).toEqual(batch.map((e) => e.id));
  });

  it('counts an event repeated inside the batch once', () => {
    const demand = events.demandRequested('2024-03-05T12:00:00Z', 10);
    const plan = planBatch([demand, demand, demand]);
    expect(bucket(plan, 'DEMAND_HEADCOUNT|MONTH|')[0]?.amount).toBe(10);
    expect(plan.applied).toHaveLength(1);
  });

  it('counts enrollments, completions and drop-outs per cohort', () => {
    const standardId = uuidv7();
    const cohortId = uuidv7();
    const enrolled = [1, 2, 3].map((m) =>
      events.enrolled(cohortId, standardId, `2024-0${m}-10T12:00:00Z`),
    );
    const plan = planBatch([
      ...enrolled,
      events.completed(enrolled[0]!, '2024-06-01T12:00:00Z'),
      events.dropped(enrolled[1]!, '2024-06-01T12:00:00Z'),
    ]);
    expect(plan.cohorts).toEqual([
      { id: cohortId, enrolled: 3, completed: 1, dropped: 1 },
    ]);
    expect(bucket(plan, 'TRAINED|MONTH|2024-').map((b) => b.amount)).toEqual([
      1, 1, 1,
    ]);
    expect(bucket(plan, 'COMPLETED|MONTH|2024-06')[0]?.amount).toBe(1);
  });

  it('nets a certificate issued and revoked in the same batch to zero in its issuance period, and marks it retracted', () => {
    const standardId = uuidv7();
    const issued = events.certificateIssued(standardId, '2024-11-05T12:00:00Z');
    const kept = events.certificateIssued(standardId, '2024-11-06T12:00:00Z');
    const revoked = events.certificateRevoked(issued, '2025-01-05T12:00:00Z');
    const plan = planBatch([issued, kept, revoked, revoked]);
    expect(bucket(plan, 'CERTIFIED|MONTH|2024-11')[0]?.amount).toBe(1);
    // Nothing lands in the revocation's period.
    expect(bucket(plan, 'CERTIFIED|MONTH|2025-01')).toEqual([]);
    expect(
      plan.certificates.find((c) => c.id === issued.data.id)?.set,
    ).toMatchObject({
      retracted: true,
      revokedAt: new Date(revoked.data.revokedAt),
    });
    expect(certificateIdsOf([issued, kept, revoked])).toEqual([
      issued.data.id,
      kept.data.id,
    ]);
  });

  it('subtracts a revocation whose issuance an earlier batch applied, and never one already retracted', () => {
    const standardId = uuidv7();
    const issued = events.certificateIssued(standardId, '2024-11-05T12:00:00Z');
    const before: CertificateView = {
      id: issued.data.id,
      standardId,
      issuedAt: new Date(issued.data.issuedAt),
      revokedAt: null,
      retracted: false,
    };
    const revocation = events.certificateRevoked(
      issued,
      '2025-01-05T12:00:00Z',
    );
    const first = planBatch([revocation], new Map([[before.id, before]]));
    expect(bucket(first, 'CERTIFIED|MONTH|2024-11')[0]?.amount).toBe(-1);

    // A second revocation event (a new id) for a certificate already retracted.
    const again = planBatch(
      [events.certificateRevoked(issued, '2025-03-01T12:00:00Z')],
      new Map([
        [
          before.id,
          { ...before, revokedAt: new Date('2025-01-05'), retracted: true },
        ],
      ]),
    );
    expect(again.buckets).toEqual([]);
  });

  it('keeps a revocation that arrives before its issuance for when the issuance comes', () => {
    const standardId = uuidv7();
    const issued = events.certificateIssued(standardId, '2024-11-05T12:00:00Z');
    const early = planBatch([
      events.certificateRevoked(issued, '2025-01-05T12:00:00Z'),
    ]);
    expect(early.buckets).toEqual([]);
    const stored: CertificateView = {
      id: issued.data.id,
      standardId,
      issuedAt: null,
      revokedAt: new Date('2025-01-05T12:00:00Z'),
      retracted: false,
    };
    const late = planBatch([issued], new Map([[stored.id, stored]]));
    // +1 and −1 in the same bucket: net 0, and the certificate is retracted.
    expect(bucket(late, 'CERTIFIED|MONTH|2024-11')[0]?.amount).toBe(0);
    expect(late.certificates[0]?.set).toMatchObject({ retracted: true });
  });

  it('inserts the view of a certificate no earlier batch stored, and sets the fields of one already stored', () => {
    const standardId = uuidv7();
    const stored = events.certificateIssued(standardId, '2024-11-05T12:00:00Z');
    const fresh = events.certificateIssued(standardId, '2024-11-06T12:00:00Z');
    const plan = planBatch(
      [
        fresh,
        events.certificateRevoked(fresh, '2025-01-05T12:00:00Z'),
        events.certificateRevoked(stored, '2025-01-05T12:00:00Z'),
      ],
      new Map([
        [
          stored.data.id,
          {
            id: stored.data.id,
            standardId,
            issuedAt: new Date(stored.data.issuedAt),
            revokedAt: null,
            retracted: false,
          },
        ],
      ]),
    );
    const created = (id: string) =>
      plan.certificates.find((c) => c.id === id)?.created;
    expect(created(fresh.data.id)).toBe(true);
    expect(created(stored.data.id)).toBeUndefined();
  });

  it('sets the catalog views to the last values the batch describes, without ledger entries', () => {
    const standard = events.standardPublished('EC0217', '2023-05-01T12:00:00Z');
    const withdrawn = events.standardWithdrawn(
      standard,
      '2025-01-01T12:00:00Z',
    );
    const cohort = events.cohortScheduled(
      { standardId: standard.data.id },
      { state: null },
    );
    const credential = events.credentialRegistered(standard.data.id);
    const plan = planBatch([standard, withdrawn, cohort, credential]);
    expect(plan.standards).toEqual([
      {
        id: standard.data.id,
        set: {
          code: 'EC0217',
          title: standard.data.title,
          sectorId: standard.data.sectorId,
          publishedAt: new Date(standard.data.publishedAt),
          withdrawnAt: new Date(withdrawn.data.withdrawnAt),
        },
      },
    ]);
    expect(plan.cohortViews).toEqual([
      {
        id: cohort.data.id,
        set: { state: null, standardId: standard.data.id, credentialId: null },
      },
    ]);
    expect(plan.credentials).toEqual([
      { id: credential.data.id, set: { standardId: standard.data.id } },
    ]);
    expect(plan.applied).toEqual([]);
  });
});

describe('the per-person read model in a batch', () => {
  it('sets each fact of a person under its id, whatever the order, and adds the months people are selected by', () => {
    const standardId = uuidv7();
    const cohortId = uuidv7();
    const enrolled = events.enrolled(
      cohortId,
      standardId,
      '2025-02-03T15:00:00Z',
    );
    const { personId } = enrolled.data;
    const completed = events.completed(enrolled, '2025-04-30T18:00:00Z');
    const issued = events.certificateIssued(
      standardId,
      '2025-05-20T17:00:00Z',
      personId,
      { imported: true },
    );
    // The completion first: the enrollment's fields arrive after it.
    const plan = planBatch([completed, issued, enrolled, enrolled]);
    expect(plan.people).toEqual([
      {
        id: personId,
        set: {
          [`enrollments.${enrolled.data.id}.cohortId`]: cohortId,
          [`enrollments.${enrolled.data.id}.completedAt`]: new Date(
            '2025-04-30T18:00:00Z',
          ),
          [`certificates.${issued.data.id}.standardId`]: standardId,
          [`certificates.${issued.data.id}.certifyingBodyId`]:
            issued.data.certifyingBodyId,
          [`certificates.${issued.data.id}.issuedAt`]: new Date(
            '2025-05-20T17:00:00Z',
          ),
          [`certificates.${issued.data.id}.imported`]: true,
          [`enrollments.${enrolled.data.id}.standardId`]: standardId,
          [`enrollments.${enrolled.data.id}.credentialId`]: null,
          [`enrollments.${enrolled.data.id}.enrolledAt`]: new Date(
            '2025-02-03T15:00:00Z',
          ),
        },
        add: {
          supplyMonths: ['2025-05', '2025-02'],
          enrolledMonths: ['2025-02'],
          cohortIds: [cohortId],
        },
      },
    ]);
    // The certificate view remembers its holder and evaluating body.
    expect(plan.certificates[0]?.set).toMatchObject({
      personId,
      certifyingBodyId: issued.data.certifyingBodyId,
    });
  });

  it('keeps one snapshot of a certifying body’s facility states per event', () => {
    const registered = events.bodyRegistered(['MX-JAL']);
    const changed = events.bodyChanged(
      registered.data.id,
      ['MX-JAL', 'MX-CMX'],
      '2025-06-01T12:00:00Z',
    );
    const plan = planBatch([registered, changed, changed]);
    expect(plan.bodies).toEqual([
      {
        id: registered.data.id,
        set: {
          [`facilities.${registered.id}`]: {
            changedAt: new Date('2020-03-02T12:00:00Z'),
            states: ['MX-JAL'],
          },
          [`facilities.${changed.id}`]: {
            changedAt: new Date('2025-06-01T12:00:00Z'),
            states: ['MX-JAL', 'MX-CMX'],
          },
        },
      },
    ]);
    // View-only events: nothing for the ledger.
    expect(plan.applied).toEqual([]);
  });
});

describe('funded projects in a batch', () => {
  it('keeps a project’s fund, approved contribution, settlement and cohorts, whatever the order', () => {
    const drafted = projectMother.drafted('Prosoft 3.0');
    const { id } = drafted.data;
    const standardId = uuidv7();
    const cohort = events.cohortScheduled(
      { standardId },
      { projectId: id, state: 'MX-JAL' },
    );
    const closed = projectMother.closed(id, {
      contributionCentavos: 945_000,
      upfrontBps: 3_333,
      perCertifiedCentavos: 150_000,
      certified: 2,
    });
    // The cohort (another partition) first.
    const plan = planBatch([
      cohort,
      drafted,
      projectMother.approved(id, 945_000),
      closed,
      closed,
    ]);
    expect(plan.projects).toEqual([
      {
        id,
        set: {
          [`cohorts.${cohort.data.id}`]: {
            state: 'MX-JAL',
            standardId,
            credentialId: null,
          },
          name: drafted.data.name,
          fundName: 'Prosoft 3.0',
          agreementId: drafted.data.agreementId,
          draftedAt: new Date(drafted.data.draftedAt),
          approvedFundShareBps: 5_000,
          fundContributionCentavos: 945_000,
          approvedAt: new Date('2025-01-20T12:00:00Z'),
          closedAt: new Date('2026-03-31T12:00:00Z'),
          settlement: expect.objectContaining({
            owedCentavos: 614_968,
            unpaidCentavos: 330_032,
            certified: 2,
          }),
        },
      },
    ]);
    expect(plan.cohortViews[0]?.set).toMatchObject({ projectId: id });
    // Views only: nothing for the ledger.
    expect(plan.applied).toEqual([]);
  });
});
