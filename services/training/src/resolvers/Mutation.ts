import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { parseInput } from '@conecta/service-kit';
import { ConflictError, InvalidInputError } from '@conecta/service-kit/errors';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import {
  registerCredential,
  registerCredentialInput,
  signAgreement,
  signAgreementInput,
} from '../domain/catalog';
import {
  assertEnrolling,
  cancelCohort,
  cancelCohortInput,
  changeCapacity,
  changeCapacityInput,
  completeCohort,
  scheduleCohort,
  scheduleCohortInput,
  startCohort,
} from '../domain/cohort';
import {
  DuplicateDemandError,
  cancelDemand,
  cancelDemandInput,
  demandNaturalKey,
  requestDemand,
  requestDemandInput,
} from '../domain/demand';
import {
  assertValidBatch,
  checkHistoricalRecords,
  checkHistoricalReferences,
  historicalDemand,
  importBatchInput,
  parseHistoricalRecords,
} from '../domain/history';
import {
  agreementFor,
  checkCohortRecords,
  checkCohortReferences,
  historicalCohort,
  parseCohortRecords,
} from '../domain/cohort-history';
import {
  attendanceInput,
  completeEnrollment,
  dropEnrollment,
  dropInput,
  enroll,
  enrollInput,
  examInput,
  issueVoucher,
  recordAttendance,
  recordVendorExam,
  useVoucher,
  type Enrollment,
} from '../domain/enrollment';
import {
  assertBroker,
  assertImporter,
  assertManagesDemand,
  assertRecordsProgress,
  requesterFor,
} from '../domain/permissions';
import {
  approveProject,
  approveProjectInput,
  cancelAggregatedDemand,
  closeProject,
  draftProject,
  draftProjectInput,
  projectCost,
  rejectProject,
  rejectProjectInput,
  settlesFunding,
  submitProject,
  type TrainingProject,
} from '../domain/project';
import type { Context } from '../context';
import { retryOnVersionConflict } from '../commands/retry';
import {
  finishEnrollment,
  legacySeatsOf,
  seatsHeldBy,
} from '../commands/enrollment-saga';
import {
  draftWithClaims,
  moveDemand,
  type DemandMove,
} from '../commands/project-saga';
import type { EventMeta } from '../events';
import type { EventEnvelope } from '@conecta/events';
import {
  certifiedTraineesOf,
  knownForCohorts,
  knownIdsOf,
  loadFresh,
  metaOf,
  present,
  requireOrganization,
  requirePublishedStandard,
  requireRef,
  requireTarget,
  scopeOf,
} from './commands';

const idArgs = z.object({ id: z.uuid() });

// A command whose changes commute with its concurrent writers' (progress on
// one enrollment; requests of one DRAFT project cancelled at once) is run again
// from a fresh load when its save loses the race. Each round one racing writer
// wins, so this many attempts cover that many writers at once on one
// aggregate; beyond, the caller gets CONFLICT `*_CHANGED_CONCURRENTLY`.
const COMMUTING_ATTEMPTS = 5;
const enrollmentIdArgs = z.object({ enrollmentId: z.uuid() });

/**
 * One step of a trainee's progress: loads the enrollment (`field` names the
 * argument, for NOT_FOUND and CONFLICT), checks the caller records progress
 * for its provider, lets `change` compute the next state and its event, and
 * writes both while the enrollment is at the version it read. Steps on one
 * enrollment touch different fields (attendance, voucher, exam result), so a
 * step that lost the race runs again on the winner's state (whose rules then
 * decide: a voucher issued twice is refused the second time).
 */
async function progressStep(
  ctx: Context,
  enrollmentId: string,
  field: string,
  change: (
    target: { enrollment: Enrollment } & Awaited<ReturnType<typeof scopeOf>>,
    now: Date,
  ) => { next: Enrollment; event: EventEnvelope },
): Promise<Enrollment> {
  return retryOnVersionConflict(COMMUTING_ATTEMPTS, async () => {
    const enrollment = await loadFresh(
      ctx.stores.enrollments,
      enrollmentId,
      field,
      'Enrollment',
    );
    const scope = await scopeOf(ctx, enrollment);
    assertRecordsProgress(ctx.identity, scope.providerId);
    const { next, event } = change({ enrollment, ...scope }, new Date());
    return ctx.stores.enrollments.save(enrollment, next, [event], { field });
  });
}

/**
 * Moves a decided project's demand requests (REJECTED: released; CLOSED after
 * approval: fulfilled), each in its own conditional write after the
 * project's. A failure here, or a crash, leaves requests AGGREGATED in a
 * decided project: the reconciler moves them (the same idempotent step).
 */
async function moveDemands(
  ctx: Context,
  project: TrainingProject,
  move: DemandMove,
  meta: EventMeta,
) {
  for (const demandId of project.demandRequestIds) {
    try {
      await moveDemand(
        ctx.stores,
        ctx.events,
        demandId,
        project.id,
        move,
        meta,
      );
    } catch (err) {
      ctx.logger.error(
        { err, demandRequestId: demandId, projectId: project.id },
        'could not move a demand request with its project; the reconciler will',
      );
    }
  }
}

export const Mutation: MutationResolvers = {
  registerVendorCredential: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const input = parseInput(registerCredentialInput, {
      ...args.input,
      examMarketPriceCentavos: args.input.examMarketPrice,
      trainingMarketPriceCentavos: args.input.trainingMarketPrice,
    });
    if (input.standardId)
      await requirePublishedStandard(ctx, input.standardId, 'input.standardId');
    const now = new Date();
    const credential = registerCredential(input, { id: uuidv7(), now });
    await ctx.stores.credentials.insert(
      credential,
      [ctx.events.credentialRegistered(credential, metaOf(ctx, now))],
      () =>
        new ConflictError(
          'CREDENTIAL_CODE_TAKEN',
          `${credential.vendor} ${credential.code} is already in the catalog`,
          'input.code',
        ),
    );
    return credential;
  },

  requestTraining: async (_p, args, ctx) => {
    const input = parseInput(requestDemandInput, args.input);
    const requesterId = requesterFor(ctx.identity, input.requesterId);
    await requireOrganization(ctx, requesterId, 'input.requesterId');
    await requireTarget(ctx, input.target, 'input.target');
    const now = new Date();
    const demand = requestDemand(input, { id: uuidv7(), now, requesterId });
    // The same request twice (a retry, a double submission, two at once) is
    // refused by the unique natural key, naming the one that holds it.
    const taken = new Error('natural key taken');
    try {
      await ctx.stores.demands.insert(
        demand,
        [ctx.events.demandRequested(demand, metaOf(ctx, now))],
        () => taken,
      );
    } catch (error) {
      if (error !== taken) throw error;
      const holder = await ctx.stores.demands.findByNaturalKey(
        demandNaturalKey(demand),
      );
      // Let go between the clash and this read (cancelled): ask again.
      if (!holder)
        throw new ConflictError(
          'DEMAND_CHANGED_CONCURRENTLY',
          'The same request was just changed; read it again and retry',
          'input',
        );
      throw new DuplicateDemandError(holder.id);
    }
    return demand;
  },

  cancelDemandRequest: async (_p, args, ctx) => {
    const input = parseInput(cancelDemandInput, args.input);
    // Two requests of one DRAFT project cancelled at once both shrink it:
    // the one whose project write loses runs again on the shrunk project.
    return retryOnVersionConflict(COMMUTING_ATTEMPTS, async () => {
      const before = await loadFresh(
        ctx.stores.demands,
        input.id,
        'input.id',
        'DemandRequest',
      );
      assertManagesDemand(ctx.identity, before);
      const meta = metaOf(ctx, new Date());
      if (before.status !== 'AGGREGATED') {
        const next = cancelDemand(before, input.reason);
        return ctx.stores.demands.save(
          before,
          next,
          [ctx.events.demandCancelled(next, meta)],
          { field: 'input.id' },
        );
      }
      const project = before.projectId
        ? await ctx.stores.projects.findById(before.projectId)
        : null;
      const { demand, project: shrunk } = cancelAggregatedDemand(
        before,
        project,
        input.reason,
      );
      if (project && shrunk) {
        // The DRAFT project lets go first, conditional on still being DRAFT and
        // listing the request: once it no longer lists it, nothing else moves
        // the request (drafting needs OPEN; a project's decisions move only the
        // requests it lists), so the project never keeps a cancelled request.
        const agreement = present(
          await ctx.stores.agreements.findById(shrunk.agreementId),
          'agreement',
        );
        await ctx.stores.projects.save(
          project,
          shrunk,
          [
            ctx.events.projectDemandWithdrawn(
              shrunk,
              before.id,
              projectCost(shrunk, agreement),
              meta,
            ),
          ],
          {
            expected: { status: 'DRAFT', demandRequestIds: before.id },
            field: 'input.id',
          },
        );
      }
      // Conditional on the request still being in that project: a retry after a
      // failure here finds a DRAFT project that no longer lists it and finishes.
      return ctx.stores.demands.save(
        before,
        demand,
        [ctx.events.demandCancelled(demand, meta)],
        {
          expected: { status: 'AGGREGATED', projectId: before.projectId },
          field: 'input.id',
        },
      );
    });
  },

  importDemandHistory: async (_p, args, ctx) => {
    const importedBy = assertImporter(ctx.identity);
    const { source, records } = parseInput(importBatchInput, args.input);
    // The whole batch is checked before anything is written.
    const now = new Date();
    const { valid, problems } = parseHistoricalRecords(records);
    const known = await knownIdsOf(ctx, valid);
    assertValidBatch([
      ...problems,
      ...checkHistoricalRecords(valid, now),
      ...checkHistoricalReferences(valid, known),
    ]);
    const meta = metaOf(ctx, now);
    const audit = { importedBy, importedAt: now };
    const { imported, skipped } = await ctx.stores.history.importBatch(
      source,
      valid.map(({ record }) => ({
        reference: record.reference,
        // UUID v7 stamped with the historical date: lists ordered by id
        // (oldest first) place history where it happened.
        newId: () => uuidv7({ msecs: record.requestedAt.getTime() }),
        create: (id) => {
          const entity = historicalDemand(record, { id, source, ...audit });
          return { entity, events: ctx.events.demandImported(entity, meta) };
        },
      })),
      audit,
    );
    return {
      source,
      importedCount: imported.length,
      skippedCount: skipped.length,
      imported,
      skipped,
    };
  },

  importCohortHistory: async (_p, args, ctx) => {
    const importedBy = assertImporter(ctx.identity);
    const { source, records } = parseInput(importBatchInput, args.input);
    // The whole batch is checked before anything is written: shapes, the
    // rules across fields, then what training knows (one query per kind).
    const now = new Date();
    const { valid, problems } = parseCohortRecords(records);
    const known = await knownForCohorts(ctx, valid);
    assertValidBatch([
      ...problems,
      ...checkCohortRecords(valid, now),
      ...checkCohortReferences(valid, known),
    ]);
    const meta = metaOf(ctx, now);
    const audit = { importedBy, importedAt: now };
    const { imported, skipped, enrollments } =
      await ctx.stores.cohortHistory.importBatch(
        source,
        valid.map(({ record }) => {
          // Checked above: every valid record has its agreement.
          const agreement = present(
            agreementFor(record, known.agreements),
            'agreement',
          );
          return {
            folio: record.folio,
            // UUID v7 stamped with the cohort's first day: lists ordered by
            // id place history where it happened.
            newIds: () => ({
              cohortId: uuidv7({ msecs: record.startsOn.getTime() }),
              enrollmentIds: record.participants.map(() =>
                uuidv7({ msecs: record.startsOn.getTime() }),
              ),
            }),
            create: ({ cohortId, enrollmentIds }) => {
              const built = historicalCohort(record, agreement, {
                cohortId,
                enrollmentIds,
                source,
                ...audit,
              });
              const events = ctx.events.cohortImported(
                built.cohort,
                built.enrollments,
                meta,
              );
              return {
                cohort: {
                  entity: built.cohort,
                  events: events.cohort,
                  seats: seatsHeldBy(built.enrollments),
                },
                enrollments: built.enrollments.map((entity) => ({
                  entity,
                  events: events.enrollments.get(entity.id) ?? [],
                })),
              };
            },
          };
        }),
        audit,
      );
    return {
      source,
      importedCount: imported.length,
      skippedCount: skipped.length,
      enrollmentCount: enrollments,
      imported,
      skipped,
    };
  },

  signAgreement: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const input = parseInput(
      signAgreementInput(ctx.pricing.vendorDiscountCapBps),
      {
        ...args.input,
        marketPriceCentavos: args.input.marketPrice,
        states: args.input.states ?? [],
        online: args.input.online ?? false,
      },
    );
    await requireOrganization(ctx, input.providerId, 'input.providerId');
    await requireTarget(ctx, input.target, 'input.target');
    const credential =
      input.target.kind === 'CREDENTIAL'
        ? await ctx.loaders.credential.load(input.target.id)
        : null;
    const now = new Date();
    const agreement = signAgreement(input, credential, { id: uuidv7(), now });
    await ctx.stores.agreements.insert(agreement, [
      ctx.events.agreementSigned(agreement, metaOf(ctx, now)),
    ]);
    return agreement;
  },

  draftTrainingProject: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const input = parseInput(draftProjectInput, args.input);
    const agreement = await requireRef(
      ctx.stores.agreements.findById(input.agreementId),
      'input.agreementId',
      'an agreement',
      'AGREEMENT_NOT_FOUND',
    );
    const found = new Map(
      (await ctx.stores.demands.findByIds(input.demandRequestIds)).map((d) => [
        d.id,
        d,
      ]),
    );
    const demands = input.demandRequestIds.map((id, i) => {
      const demand = found.get(id);
      if (!demand)
        throw new InvalidInputError(
          `input.demandRequestIds[${i}]`,
          'is not a demand request',
          'DEMAND_NOT_FOUND',
        );
      return demand;
    });
    const now = new Date();
    const project = draftProject(input, agreement, demands, {
      id: uuidv7(),
      now,
      brokerMarkupBps: ctx.pricing.brokerMarkupBps,
    });
    // A saga (commands/project-saga): the project marked claiming, each
    // request claimed, then ProjectDrafted; a request taken meanwhile undoes
    // it, a crash leaves what the reconciler undoes.
    await draftWithClaims(
      ctx.stores,
      ctx.events,
      project,
      demands,
      projectCost(project, agreement),
      metaOf(ctx, now),
      ctx.logger,
    );
    return project;
  },

  submitTrainingProject: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const { id } = parseInput(idArgs, args, '');
    const before = await loadFresh(
      ctx.stores.projects,
      id,
      'id',
      'TrainingProject',
    );
    const now = new Date();
    const next = submitProject(before, now);
    return ctx.stores.projects.save(
      before,
      next,
      [ctx.events.projectSubmitted(next, metaOf(ctx, now))],
      { field: 'id' },
    );
  },

  approveTrainingProject: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const input = parseInput(approveProjectInput, args.input);
    const before = await loadFresh(
      ctx.stores.projects,
      input.id,
      'input.id',
      'TrainingProject',
    );
    const agreement = present(
      await ctx.stores.agreements.findById(before.agreementId),
      'agreement',
    );
    const now = new Date();
    const next = approveProject(before, input.approvedFundShareBps, now);
    return ctx.stores.projects.save(
      before,
      next,
      [
        ctx.events.projectApproved(
          next,
          projectCost(next, agreement),
          metaOf(ctx, now),
        ),
      ],
      { field: 'input.id' },
    );
  },

  rejectTrainingProject: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const input = parseInput(rejectProjectInput, args.input);
    const before = await loadFresh(
      ctx.stores.projects,
      input.id,
      'input.id',
      'TrainingProject',
    );
    const now = new Date();
    const meta = metaOf(ctx, now);
    const next = rejectProject(before, input.reason, now);
    await ctx.stores.projects.save(
      before,
      next,
      [ctx.events.projectRejected(next, meta)],
      { field: 'input.id' },
    );
    await moveDemands(ctx, next, 'release', meta);
    return next;
  },

  closeTrainingProject: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const { id } = parseInput(idArgs, args, '');
    const before = await loadFresh(
      ctx.stores.projects,
      id,
      'id',
      'TrainingProject',
    );
    // Prosoft's rule: an approved project with a funding split settles what
    // the fund owes from the certificates issued by now (a certificate that
    // arrives later does not reopen it). Saved, with its event, only while
    // the project is at the version read.
    const facts = settlesFunding(before)
      ? {
          cost: projectCost(
            before,
            present(
              await ctx.stores.agreements.findById(before.agreementId),
              'agreement',
            ),
          ),
          certified: await certifiedTraineesOf(ctx, before),
        }
      : undefined;
    const now = new Date();
    const meta = metaOf(ctx, now);
    const next = closeProject(before, now, facts);
    await ctx.stores.projects.save(
      before,
      next,
      [ctx.events.projectClosed(next, meta)],
      { field: 'id' },
    );
    if (before.status === 'APPROVED')
      await moveDemands(ctx, next, 'fulfill', meta);
    return next;
  },

  scheduleCohort: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const input = parseInput(scheduleCohortInput, args.input);
    const agreement = await requireRef(
      ctx.stores.agreements.findById(input.agreementId),
      'input.agreementId',
      'an agreement',
      'AGREEMENT_NOT_FOUND',
    );
    const venue = await requireOrganization(
      ctx,
      input.venueId,
      'input.venueId',
    );
    const project = input.projectId
      ? await requireRef(
          ctx.stores.projects.findById(input.projectId),
          'input.projectId',
          'a training project',
          'PROJECT_NOT_FOUND',
        )
      : null;
    const now = new Date();
    const cohort = scheduleCohort(input, agreement, project, {
      id: uuidv7(),
      now,
      venueState: venue.state || null,
    });
    await ctx.stores.cohorts.insert(cohort, [
      ctx.events.cohortScheduled(cohort, metaOf(ctx, now)),
    ]);
    return cohort;
  },

  changeCohortCapacity: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const input = parseInput(changeCapacityInput, args.input);
    const before = await loadFresh(
      ctx.stores.cohorts,
      input.id,
      'input.id',
      'Cohort',
    );
    const next = changeCapacity(before, input.capacity);
    return ctx.stores.cohorts.saveCapacity(
      before,
      next,
      [ctx.events.cohortCapacityChanged(next, metaOf(ctx, new Date()))],
      'input.id',
    );
  },

  startCohort: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const { id } = parseInput(idArgs, args, '');
    const before = await loadFresh(ctx.stores.cohorts, id, 'id', 'Cohort');
    const agreement = present(
      await ctx.stores.agreements.findById(before.agreementId),
      'agreement',
    );
    const next = startCohort(before, agreement);
    return ctx.stores.cohorts.saveFrom(
      before,
      next,
      [ctx.events.cohortStarted(next, metaOf(ctx, new Date()))],
      'id',
    );
  },

  completeCohort: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const { id } = parseInput(idArgs, args, '');
    const before = await loadFresh(ctx.stores.cohorts, id, 'id', 'Cohort');
    const next = completeCohort(before);
    return ctx.stores.cohorts.saveFrom(
      before,
      next,
      [ctx.events.cohortCompleted(next, metaOf(ctx, new Date()))],
      'id',
    );
  },

  cancelCohort: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const input = parseInput(cancelCohortInput, args.input);
    const before = await loadFresh(
      ctx.stores.cohorts,
      input.id,
      'input.id',
      'Cohort',
    );
    const next = cancelCohort(before, input.reason);
    return ctx.stores.cohorts.saveFrom(
      before,
      next,
      [ctx.events.cohortCancelled(next, metaOf(ctx, new Date()))],
      'input.id',
    );
  },

  enroll: async (_p, args, ctx) => {
    assertBroker(ctx.identity);
    const input = parseInput(enrollInput, args.input);
    const cohort = await requireRef(
      ctx.stores.cohorts.findById(input.cohortId),
      'input.cohortId',
      'a cohort',
      'COHORT_NOT_FOUND',
    );
    await requireRef(
      ctx.stores.projections.persons
        .findByIds([input.personId])
        .then((found) => found[0] ?? null),
      'input.personId',
      "a person of certification's registry",
      'PERSON_NOT_FOUND',
    );
    assertEnrolling(cohort);
    const alreadyEnrolled = () =>
      new ConflictError(
        'ALREADY_ENROLLED',
        'This person is already enrolled in this cohort',
        'input.personId',
      );
    const existing = await ctx.stores.enrollments.find({
      cohortId: cohort.id,
      personId: input.personId,
    });
    if (existing.length > 0) throw alreadyEnrolled();
    // A two-step saga (see commands/enrollment-saga): the seat, recorded on
    // the cohort under the new enrollment's id (refuses overbooking), then
    // the enrollment under that id. A crash between the two leaves a seat
    // naming its enrollment, which the reconciler writes.
    const now = new Date();
    const enrollment = enroll(cohort, input.personId, { id: uuidv7(), now });
    await ctx.stores.cohorts.reserveSeat(
      cohort.id,
      enrollment.id,
      { personId: input.personId, reservedAt: now },
      () => legacySeatsOf(ctx.stores, cohort.id),
    );
    const outcome = await finishEnrollment(
      ctx.stores,
      ctx.events,
      cohort,
      enrollment,
      metaOf(ctx, now),
    );
    if (outcome === 'person-already-enrolled') throw alreadyEnrolled();
    return enrollment;
  },

  recordAttendance: (_p, args, ctx) => {
    const input = parseInput(attendanceInput, args.input);
    return progressStep(
      ctx,
      input.enrollmentId,
      'input.enrollmentId',
      ({ enrollment }, now) => {
        const next = recordAttendance(enrollment, input.attendancePercent);
        return {
          next,
          event: ctx.events.attendanceRecorded(next, metaOf(ctx, now)),
        };
      },
    );
  },

  issueExamVoucher: (_p, args, ctx) => {
    const { enrollmentId } = parseInput(enrollmentIdArgs, args, '');
    return progressStep(
      ctx,
      enrollmentId,
      'enrollmentId',
      ({ enrollment, agreement }, now) => {
        const next = issueVoucher(enrollment, agreement, now);
        return {
          next,
          event: ctx.events.voucherIssued(next, metaOf(ctx, now)),
        };
      },
    );
  },

  useExamVoucher: (_p, args, ctx) => {
    const { enrollmentId } = parseInput(enrollmentIdArgs, args, '');
    return progressStep(
      ctx,
      enrollmentId,
      'enrollmentId',
      ({ enrollment }, now) => {
        const next = useVoucher(enrollment, now);
        return { next, event: ctx.events.voucherUsed(next, metaOf(ctx, now)) };
      },
    );
  },

  recordVendorExam: (_p, args, ctx) => {
    const input = parseInput(examInput, args.input);
    return progressStep(
      ctx,
      input.enrollmentId,
      'input.enrollmentId',
      ({ enrollment }, now) => {
        const next = recordVendorExam(enrollment, input.passed);
        return {
          next,
          event: ctx.events.vendorExamRecorded(next, metaOf(ctx, now)),
        };
      },
    );
  },

  completeEnrollment: (_p, args, ctx) => {
    const { enrollmentId } = parseInput(enrollmentIdArgs, args, '');
    return progressStep(
      ctx,
      enrollmentId,
      'enrollmentId',
      ({ enrollment, cohort }, now) => {
        const next = completeEnrollment(enrollment, cohort, now);
        return {
          next,
          event: ctx.events.enrollmentCompleted(next, metaOf(ctx, now)),
        };
      },
    );
  },

  dropEnrollment: async (_p, args, ctx) => {
    const input = parseInput(dropInput, args.input);
    const next = await progressStep(
      ctx,
      input.enrollmentId,
      'input.enrollmentId',
      ({ enrollment }, now) => {
        const dropped = dropEnrollment(enrollment, input.reason, now);
        return {
          next: dropped,
          event: ctx.events.enrollmentDropped(dropped, metaOf(ctx, now)),
        };
      },
    );
    // The drop is the fact (one write with its event); the seat follows, and
    // the reconciler gives back the seat of any DROPPED enrollment still
    // holding one (a crash between the two).
    if (!(await ctx.stores.cohorts.releaseSeat(next.cohortId, next.id)))
      // Nothing to free: the seat went already, or the cohort predates
      // recorded seats (then they are recorded now, without this one).
      await ctx.stores.cohorts.recordSeats(
        next.cohortId,
        await legacySeatsOf(ctx.stores, next.cohortId),
      );
    return next;
  },
};
