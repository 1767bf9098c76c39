import { z } from 'zod';
import { ConflictError } from '@conecta/service-kit/errors';
import { stateCodeSchema, type StateCode } from '@conecta/mexico';
import { assertFuture, stateMachine, targetInput, type Target } from './common';

export const DEMAND_STATUSES = [
  'OPEN',
  'AGGREGATED',
  'FULFILLED',
  'CANCELLED',
] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];

/**
 * OPEN → AGGREGATED → FULFILLED | CANCELLED; OPEN → CANCELLED; and
 * AGGREGATED → OPEN when its project is rejected (README: Decisions).
 */
export const demandLifecycle = stateMachine<DemandStatus>(
  'demand request',
  {
    OPEN: ['AGGREGATED', 'CANCELLED'],
    AGGREGATED: ['FULFILLED', 'CANCELLED', 'OPEN'],
    FULFILLED: [],
    CANCELLED: [],
  },
  'INVALID_DEMAND_TRANSITION',
);

/**
 * Where an imported demand request came from: the audit trail of a
 * historical import (`importDemandHistory`). Live requests have none.
 */
export interface DemandProvenance {
  /** The legacy register (e.g. "Registro de demanda 2019–2025"). */
  source: string;
  /** The record's reference there: unique per source. */
  reference: string;
  /** Who imported it (the admin's identity subject). */
  importedBy: string;
  importedAt: Date;
  /** When the register says it was fulfilled or cancelled. */
  closedAt: Date;
}

/** Training asked for by an organization. */
export interface DemandRequest {
  id: string;
  requesterId: string;
  state: StateCode;
  city: string;
  target: Target;
  headcount: number;
  neededBy: Date;
  status: DemandStatus;
  projectId: string | null;
  cancellationReason: string | null;
  /** When it was asked for (the historical date for an imported request). */
  requestedAt: Date;
  /** Set only on a request imported from a legacy register (closed history). */
  provenance?: DemandProvenance;
}

/** The largest headcount one request may ask for (a national program's cohort of cohorts). */
export const MAX_HEADCOUNT = 100_000;

export const requestDemandInput = z.object({
  requesterId: z.uuid().nullish(),
  state: stateCodeSchema,
  city: z.string().trim().min(1, 'must not be empty').max(120),
  target: targetInput,
  headcount: z
    .number()
    .int('must be a whole number of people')
    .min(1, 'must be at least 1')
    .max(MAX_HEADCOUNT, `must be at most ${MAX_HEADCOUNT}`),
  neededBy: z.date(),
});
export type RequestDemandInput = z.input<typeof requestDemandInput>;

export const cancelDemandInput = z.object({
  id: z.uuid(),
  reason: z.string().trim().min(1, 'must not be empty').max(2_000),
});

/** A new OPEN demand request; `neededBy` must be in the future. */
export function requestDemand(
  input: z.output<typeof requestDemandInput>,
  ctx: { id: string; now: Date; requesterId: string },
): DemandRequest {
  assertFuture(input.neededBy, ctx.now, 'input.neededBy');
  return {
    id: ctx.id,
    requesterId: ctx.requesterId,
    state: input.state,
    city: input.city,
    target: input.target,
    headcount: input.headcount,
    neededBy: input.neededBy,
    status: 'OPEN',
    projectId: null,
    cancellationReason: null,
    requestedAt: ctx.now,
  };
}

/**
 * Cancels an OPEN demand request. An AGGREGATED one belongs to a project's
 * fund application: CONFLICT `DEMAND_IN_PROJECT` here; whether its project
 * lets it go is `cancelAggregatedDemand`'s rule (project.ts).
 */
export function cancelDemand(
  demand: DemandRequest,
  reason: string,
): DemandRequest {
  if (demand.status === 'AGGREGATED')
    throw new ConflictError(
      'DEMAND_IN_PROJECT',
      'This demand request is part of a training project application and cannot be cancelled now',
    );
  demandLifecycle.assert(demand.status, 'CANCELLED');
  return { ...demand, status: 'CANCELLED', cancellationReason: reason };
}

/** Packages an OPEN demand request into a project. */
export function aggregateDemand(
  demand: DemandRequest,
  projectId: string,
): DemandRequest {
  demandLifecycle.assert(demand.status, 'AGGREGATED');
  return { ...demand, status: 'AGGREGATED', projectId };
}

/** Returns an AGGREGATED demand to OPEN (its project was rejected). */
export function releaseDemand(demand: DemandRequest): DemandRequest {
  demandLifecycle.assert(demand.status, 'OPEN');
  return { ...demand, status: 'OPEN', projectId: null };
}

/** Marks an AGGREGATED demand as served. */
export function fulfillDemand(demand: DemandRequest): DemandRequest {
  demandLifecycle.assert(demand.status, 'FULFILLED');
  return { ...demand, status: 'FULFILLED' };
}

/** Statuses in which a request holds its natural key (README: Decisions, natural key). */
export const LIVE_DEMAND_STATUSES: readonly DemandStatus[] = [
  'OPEN',
  'AGGREGATED',
];

/** A city as people type it, compared without case, accents or extra spaces. */
export const normalizeCity = (city: string): string =>
  city
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/**
 * What a broker calls "the same request": the same organization asking for
 * the same standard or credential, for the same number of people in the same
 * state and city, by the same day. A live request (OPEN or AGGREGATED) holds
 * this key, so a second one is refused (a unique index on the stored key);
 * a FULFILLED or CANCELLED one lets it go (`closed:<id>`), so the same need
 * may be asked for again. Imported history is always closed.
 */
export function demandNaturalKey(demand: DemandRequest): string {
  if (!LIVE_DEMAND_STATUSES.includes(demand.status))
    return `closed:${demand.id}`;
  return [
    'live',
    demand.requesterId,
    `${demand.target.kind}:${demand.target.id}`,
    demand.state,
    normalizeCity(demand.city),
    demand.neededBy.toISOString().slice(0, 10),
    String(demand.headcount),
  ].join('|');
}

/** A second live request with the natural key of `existingId` (CONFLICT `DEMAND_ALREADY_REQUESTED`). */
export class DuplicateDemandError extends ConflictError {
  constructor(readonly existingId: string) {
    super(
      'DEMAND_ALREADY_REQUESTED',
      `This organization already asked for the same training (same target, state, city, headcount and needed-by date): demand request ${existingId}`,
      'input',
    );
  }

  override get details(): Readonly<Record<string, unknown>> {
    return { existingId: this.existingId };
  }
}
