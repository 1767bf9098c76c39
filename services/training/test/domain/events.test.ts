import { createTrainingEvents, type EventMeta } from '../../src/events';
import { projectCost } from '../../src/domain/project';
import {
  NOW,
  agreementMother,
  cohortMother,
  day,
  demandMother,
  enrollmentMother,
  projectMother,
} from '../fixtures/mothers';

// Training's events from its table of rows (src/events/index.ts), without a
// broker: the key, the trace, the dates and, for an import, the history in
// the order it happened. The envelope itself is @conecta/events' (tested
// there: packages/events/test/domain/event-builders.test.ts).

const events = createTrainingEvents();
const target = {
  kind: 'STANDARD' as const,
  id: '0190a1b2-0000-7000-8000-000000000001',
};
const meta: EventMeta = {
  traceId: 'req-7',
  now: new Date('2026-03-03T09:30:00.000Z'),
};

describe('training events from the table of contracts', () => {
  it('keys an event by its aggregate and carries the request that caused it', () => {
    const agreement = agreementMother.seventyOff(target);
    const cohort = cohortMother.scheduled(agreement);
    const enrollment = enrollmentMother.enrolled(cohort);
    const event = events.participantEnrolled(enrollment, cohort, meta);
    expect(event).toMatchObject({
      type: 'training.ParticipantEnrolled',
      version: 1,
      source: 'training',
      subject: enrollment.id,
      traceId: 'req-7',
      data: {
        id: enrollment.id,
        cohortId: cohort.id,
        personId: enrollment.personId,
        agreementId: agreement.id,
        targetKind: 'STANDARD',
        standardId: target.id,
        enrolledAt: NOW.toISOString(),
      },
    });
  });

  it("dates a fact with its own date when it has one, else when it is built, with the command's time in the data", () => {
    const demand = demandMother.jaliscoCluster(target);
    expect(events.demandRequested(demand, meta).occurredAt).toBe(
      NOW.toISOString(),
    );
    const before = Date.now();
    const projectId = '0190a1b2-0000-7000-8000-000000000002';
    const aggregated = events.demandAggregated(demand, projectId, meta);
    expect(Date.parse(aggregated.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(aggregated.data).toEqual({
      id: demand.id,
      projectId,
      aggregatedAt: '2026-03-03T09:30:00.000Z',
    });
  });

  it('says what a DRAFT project is left with when a request leaves it', () => {
    const agreement = agreementMother.seventyOff(target);
    const project = projectMother.draft(agreement, { participants: 15 });
    const cost = projectCost(project, agreement);
    const event = events.projectDemandWithdrawn(
      project,
      '0190a1b2-0000-7000-8000-000000000003',
      cost,
      meta,
    );
    expect(event).toMatchObject({
      type: 'training.ProjectDemandWithdrawn',
      subject: project.id,
      data: {
        demandRequestId: '0190a1b2-0000-7000-8000-000000000003',
        participants: 15,
        totalCentavos: cost.project.totalCentavos,
        withdrawnAt: '2026-03-03T09:30:00.000Z',
      },
    });
  });

  it('refuses an event its contract refuses, before anything is written', () => {
    const demand = demandMother.jaliscoCluster(target, { headcount: 0 });
    expect(() => events.demandRequested(demand, meta)).toThrow(
      /training\.DemandRequested v1: data\.headcount/,
    );
  });

  it('emits an imported request as requested then fulfilled, back then, with no project', () => {
    const closedAt = day(-400);
    const demand = {
      ...demandMother.jaliscoCluster(target, {
        status: 'FULFILLED' as const,
        requestedAt: day(-500),
      }),
      provenance: {
        source: 'Registro 2019',
        reference: 'R-17',
        importedBy: 'admin-1',
        importedAt: NOW,
        closedAt,
      },
    };
    const [requested, fulfilled] = events.demandImported(demand, meta);
    const imported = {
      source: 'Registro 2019',
      reference: 'R-17',
      importedAt: NOW.toISOString(),
    };
    expect(requested).toMatchObject({
      type: 'training.DemandRequested',
      occurredAt: day(-500).toISOString(),
      data: { imported },
    });
    expect(fulfilled).toMatchObject({
      type: 'training.DemandFulfilled',
      subject: demand.id,
      occurredAt: closedAt.toISOString(),
      data: { id: demand.id, fulfilledAt: closedAt.toISOString(), imported },
    });
    expect(fulfilled!.data).not.toHaveProperty('projectId');
  });

  it("emits an imported cohort's history in the order it happened, each enrollment's under its own key", () => {
    const agreement = agreementMother.seventyOff(target);
    const cohort = {
      ...cohortMother.scheduled(agreement, {
        status: 'COMPLETED' as const,
        startsOn: day(-90),
        endsOn: day(-60),
        scheduledAt: day(-120),
      }),
      provenance: {
        source: 'Cursos 2025',
        folio: 'F-9',
        importedBy: 'admin-1',
        importedAt: NOW,
      },
    };
    const completed = enrollmentMother.enrolled(cohort, {
      status: 'COMPLETED',
      enrolledAt: day(-95),
      completedAt: day(-60),
    });
    const dropped = enrollmentMother.enrolled(cohort, {
      status: 'DROPPED',
      enrolledAt: day(-95),
      droppedAt: day(-80),
      dropReason: 'moved away',
    });
    const built = events.cohortImported(cohort, [completed, dropped], meta);
    expect(built.cohort.map((e) => [e.type, e.subject])).toEqual([
      ['training.CohortScheduled', cohort.id],
      ['training.CohortStarted', cohort.id],
      ['training.CohortCompleted', cohort.id],
    ]);
    expect(built.cohort[1]!.data).toMatchObject({ enrolled: 2 });
    const ofDropped = built.enrollments.get(dropped.id)!;
    expect(ofDropped.map((e) => [e.type, e.subject, e.occurredAt])).toEqual([
      ['training.ParticipantEnrolled', dropped.id, day(-95).toISOString()],
      ['training.EnrollmentDropped', dropped.id, day(-80).toISOString()],
    ]);
    // Event ids are UUID v7: built in the order the facts happened.
    expect(ofDropped[0]!.id < ofDropped[1]!.id).toBe(true);
    for (const event of [...built.cohort, ...ofDropped])
      expect(event.data).toMatchObject({
        imported: { source: 'Cursos 2025', reference: 'F-9' },
      });
  });

  it('refuses to import an enrollment that has no outcome', () => {
    const agreement = agreementMother.seventyOff(target);
    const cohort = {
      ...cohortMother.scheduled(agreement, { status: 'COMPLETED' as const }),
      provenance: {
        source: 'Cursos 2025',
        folio: 'F-10',
        importedBy: 'admin-1',
        importedAt: NOW,
      },
    };
    expect(() =>
      events.cohortImported(cohort, [enrollmentMother.enrolled(cohort)], meta),
    ).toThrow(
      'an imported enrollment is COMPLETED or DROPPED with its date, not ENROLLED',
    );
  });
});
