import { z } from 'zod';
import type { COHORT_MODES } from '@conecta/events/contracts';
import { stateCodeSchema, type StateCode } from '@conecta/mexico';
import { ConflictError, InvalidInputError } from '@conecta/service-kit/errors';
import {
  assertFuture,
  assertOrdered,
  stateMachine,
  type Target,
} from './common';
import { servesState, type Agreement } from './catalog';
import type { TrainingProject } from './project';

export type CohortMode = (typeof COHORT_MODES)[number];

export const COHORT_STATUSES = [
  'SCHEDULED',
  'RUNNING',
  'COMPLETED',
  'CANCELLED',
] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];

/** SCHEDULED → RUNNING → COMPLETED; SCHEDULED | RUNNING → CANCELLED. */
export const cohortLifecycle = stateMachine<CohortStatus>(
  'cohort',
  {
    SCHEDULED: ['RUNNING', 'CANCELLED'],
    RUNNING: ['COMPLETED', 'CANCELLED'],
    COMPLETED: [],
    CANCELLED: [],
  },
  'INVALID_COHORT_TRANSITION',
);

/** Statuses in which people may still enroll. */
export const ENROLLABLE_STATUSES: readonly CohortStatus[] = [
  'SCHEDULED',
  'RUNNING',
];

/**
 * Where an imported past cohort came from: the audit trail of
 * `importCohortHistory`. Cohorts scheduled here have none.
 */
export interface CohortProvenance {
  /** The legacy register (e.g. "Registro de cursos 2019–2025"). */
  source: string;
  /** The cohort's folio there: unique per source. */
  folio: string;
  /** Who imported it (the admin's identity subject). */
  importedBy: string;
  importedAt: Date;
}

/** An agreement delivered at a venue on dates, with a capacity. */
export interface Cohort {
  id: string;
  agreementId: string;
  projectId: string | null;
  /** The organization whose facility hosts it (the broker owns none). */
  venueId: string;
  /** Where it is delivered in person; null for ONLINE. */
  state: StateCode | null;
  city: string | null;
  mode: CohortMode;
  target: Target;
  startsOn: Date;
  endsOn: Date;
  capacity: number;
  /** Seats taken (ENROLLED or COMPLETED): the counter that refuses overbooking. */
  enrolled: number;
  status: CohortStatus;
  cancellationReason: string | null;
  scheduledAt: Date;
  /** Set only on a past cohort imported from a legacy register. */
  provenance?: CohortProvenance | null;
}

export const scheduleCohortInput = z.object({
  agreementId: z.uuid(),
  projectId: z.uuid().nullish(),
  venueId: z.uuid(),
  state: stateCodeSchema.nullish(),
  city: z.string().trim().min(1).max(120).nullish(),
  mode: z.enum(['IN_PERSON', 'ONLINE', 'HYBRID']),
  startsOn: z.date(),
  endsOn: z.date(),
  capacity: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(1_000, 'must be at most 1000'),
});
export type ScheduleCohortInput = z.input<typeof scheduleCohortInput>;

export const changeCapacityInput = z.object({
  id: z.uuid(),
  capacity: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(1_000, 'must be at most 1000'),
});

export const cancelCohortInput = z.object({
  id: z.uuid(),
  reason: z.string().trim().min(1, 'must not be empty').max(2_000),
});

/**
 * A SCHEDULED cohort of `agreement`. In-person and hybrid cohorts name a city
 * and a state the agreement serves in person (or any state, when the
 * agreement also delivers online) which, when the venue organization's state
 * is known (`ctx.venueState`, from committees' directory), is the venue's;
 * online ones need an online agreement. Dates are in the future, in order,
 * inside the agreement's validity; capacity is at least the agreement's
 * minimum cohort size.
 */
export function scheduleCohort(
  input: z.output<typeof scheduleCohortInput>,
  agreement: Agreement,
  project: TrainingProject | null,
  ctx: { id: string; now: Date; venueState?: string | null },
): Cohort {
  assertFuture(input.startsOn, ctx.now, 'input.startsOn');
  assertOrdered(input.startsOn, input.endsOn, 'input.endsOn', 'startsOn');
  if (
    input.startsOn.getTime() < agreement.validFrom.getTime() ||
    input.endsOn.getTime() > agreement.validUntil.getTime()
  )
    throw new InvalidInputError(
      'input.endsOn',
      'the cohort must run inside the agreement validity window',
      'OUTSIDE_AGREEMENT_VALIDITY',
    );
  if (input.capacity < agreement.minCohortSize)
    throw new InvalidInputError(
      'input.capacity',
      `must be at least the agreement's minimum cohort size (${agreement.minCohortSize})`,
      'CAPACITY_BELOW_MINIMUM',
    );
  if (input.mode === 'ONLINE') {
    if (!agreement.online)
      throw new InvalidInputError(
        'input.mode',
        'the agreement does not deliver online',
        'MODE_NOT_COVERED',
      );
  } else {
    if (!input.state)
      throw new InvalidInputError(
        'input.state',
        'is required for in-person and hybrid cohorts',
        'STATE_REQUIRED',
      );
    if (!input.city)
      throw new InvalidInputError(
        'input.city',
        'is required for in-person and hybrid cohorts',
        'CITY_REQUIRED',
      );
    if (!servesState(agreement, input.state))
      throw new InvalidInputError(
        'input.state',
        'is not a state the agreement serves in person, and the agreement does not deliver online',
        'STATE_NOT_SERVED',
      );
    if (ctx.venueState && ctx.venueState !== input.state)
      throw new InvalidInputError(
        'input.state',
        `is not the venue's state (${ctx.venueState}): an in-person or hybrid cohort is delivered at the venue`,
        'VENUE_STATE_MISMATCH',
      );
  }
  if (project) {
    if (project.agreementId !== agreement.id)
      throw new InvalidInputError(
        'input.projectId',
        'is a project under another agreement',
        'PROJECT_AGREEMENT_MISMATCH',
      );
    if (project.status !== 'APPROVED')
      throw new ConflictError(
        'PROJECT_NOT_APPROVED',
        'Cohorts are scheduled for APPROVED projects only',
        'input.projectId',
      );
  }
  const inPerson = input.mode !== 'ONLINE';
  return {
    id: ctx.id,
    agreementId: agreement.id,
    projectId: project?.id ?? null,
    venueId: input.venueId,
    state: inPerson ? (input.state ?? null) : null,
    city: inPerson ? (input.city ?? null) : null,
    mode: input.mode,
    target: agreement.target,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    capacity: input.capacity,
    enrolled: 0,
    status: 'SCHEDULED',
    cancellationReason: null,
    scheduledAt: ctx.now,
  };
}

/** @throws CONFLICT `BELOW_MINIMUM_COHORT` when fewer than the minimum are enrolled. */
export function startCohort(cohort: Cohort, agreement: Agreement): Cohort {
  cohortLifecycle.assert(cohort.status, 'RUNNING');
  if (cohort.enrolled < agreement.minCohortSize)
    throw new ConflictError(
      'BELOW_MINIMUM_COHORT',
      `The agreement needs at least ${agreement.minCohortSize} participants; ${cohort.enrolled} enrolled`,
    );
  return { ...cohort, status: 'RUNNING' };
}

export function completeCohort(cohort: Cohort): Cohort {
  cohortLifecycle.assert(cohort.status, 'COMPLETED');
  return { ...cohort, status: 'COMPLETED' };
}

export function cancelCohort(cohort: Cohort, reason: string): Cohort {
  cohortLifecycle.assert(cohort.status, 'CANCELLED');
  return { ...cohort, status: 'CANCELLED', cancellationReason: reason };
}

/** @throws BAD_USER_INPUT `CAPACITY_BELOW_ENROLLED`; CONFLICT unless SCHEDULED. */
export function changeCapacity(cohort: Cohort, capacity: number): Cohort {
  if (cohort.status !== 'SCHEDULED')
    throw new ConflictError(
      'COHORT_NOT_SCHEDULED',
      'Only a SCHEDULED cohort changes capacity',
    );
  if (capacity < cohort.enrolled)
    throw new InvalidInputError(
      'input.capacity',
      `must not be below the ${cohort.enrolled} people enrolled`,
      'CAPACITY_BELOW_ENROLLED',
    );
  return { ...cohort, capacity };
}

/** @throws CONFLICT `COHORT_NOT_ENROLLING` unless SCHEDULED or RUNNING. */
export function assertEnrolling(cohort: Cohort): void {
  if (!ENROLLABLE_STATUSES.includes(cohort.status))
    throw new ConflictError(
      'COHORT_NOT_ENROLLING',
      `A ${cohort.status} cohort takes no enrollments`,
    );
}

export const seatsLeft = (cohort: Cohort): number =>
  Math.max(0, cohort.capacity - cohort.enrolled);
