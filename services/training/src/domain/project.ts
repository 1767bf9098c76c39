import { z } from 'zod';
import { ConflictError, InvalidInputError } from '@conecta/service-kit/errors';
import { bpsField, sameTarget, stateMachine, type Target } from './common';
import { servesState, type Agreement } from './catalog';
import { demandLifecycle, type DemandRequest } from './demand';
import {
  assertSplitFits,
  fundingSplitInput,
  settleFunding,
  type FundingSettlement,
  type FundingSplit,
} from './funding';
import {
  MAX_FUND_SHARE_BPS,
  participantBreakdown,
  projectBreakdown,
  type CostBreakdown,
} from './money';

export const PROJECT_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'APPROVED',
  'REJECTED',
  'CLOSED',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** DRAFT → SUBMITTED → APPROVED | REJECTED → CLOSED. */
export const projectLifecycle = stateMachine<ProjectStatus>(
  'training project',
  {
    DRAFT: ['SUBMITTED'],
    SUBMITTED: ['APPROVED', 'REJECTED'],
    APPROVED: ['CLOSED'],
    REJECTED: ['CLOSED'],
    CLOSED: [],
  },
  'INVALID_PROJECT_TRANSITION',
);

/** OPEN demand packaged into one application to a public fund. */
export interface TrainingProject {
  id: string;
  name: string;
  fundName: string;
  agreementId: string;
  target: Target;
  demandRequestIds: string[];
  /** Sum of the aggregated requests' headcounts, fixed when drafted. */
  participants: number;
  /** The broker's markup when drafted (configuration may change later). */
  brokerMarkupBps: number;
  requestedFundShareBps: number;
  approvedFundShareBps: number | null;
  status: ProjectStatus;
  rejectionReason: string | null;
  draftedAt: Date;
  submittedAt: Date | null;
  decidedAt: Date | null;
  closedAt: Date | null;
  /**
   * Prosoft's rule: the public contribution paid part upfront, part per
   * certified trainee (see funding.ts). Null (or absent, on projects drafted
   * before issue 17): the fund pays its contribution as before, and closing
   * records no settlement.
   */
  fundingSplit?: FundingSplit | null;
  /** What the fund owes, recorded when an approved project with a split closed. */
  settlement?: FundingSettlement | null;
}

const fundShare = bpsField(MAX_FUND_SHARE_BPS, 'FUND_SHARE_ABOVE_CAP');

export const draftProjectInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  fundName: z.string().trim().min(1, 'must not be empty').max(200),
  agreementId: z.uuid(),
  demandRequestIds: z
    .array(z.uuid())
    .min(1, 'list at least one demand request')
    .max(500)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat ids'),
  requestedFundShareBps: fundShare,
  fundingSplit: z
    .object({
      upfrontBps: fundingSplitInput.shape.upfrontBps,
      perCertified: fundingSplitInput.shape.perCertifiedCentavos,
    })
    .nullish()
    .transform((split): FundingSplit | null =>
      split
        ? {
            upfrontBps: split.upfrontBps,
            perCertifiedCentavos: split.perCertified,
          }
        : null,
    ),
});
export type DraftProjectInput = z.input<typeof draftProjectInput>;

export const approveProjectInput = z.object({
  id: z.uuid(),
  approvedFundShareBps: fundShare,
});

export const rejectProjectInput = z.object({
  id: z.uuid(),
  reason: z.string().trim().min(1, 'must not be empty').max(2_000),
});

/**
 * A DRAFT project packaging `demands` (in input order) to be served under
 * `agreement`. Every demand must be OPEN, for the agreement's target, in a
 * state it serves (or it is online). A funding split must fit the public
 * contribution asked for: upfront + perCertified × participants ≤ it.
 *
 * @throws InvalidInputError SPLIT_ABOVE_CONTRIBUTION on `input.fundingSplit.perCertified`
 */
export function draftProject(
  input: Omit<z.output<typeof draftProjectInput>, 'fundingSplit'> & {
    fundingSplit?: FundingSplit | null;
  },
  agreement: Agreement,
  demands: readonly DemandRequest[],
  ctx: { id: string; now: Date; brokerMarkupBps: number },
): TrainingProject {
  demands.forEach((demand, i) => {
    const field = `input.demandRequestIds[${i}]`;
    if (demand.status !== 'OPEN')
      throw new ConflictError(
        'DEMAND_NOT_OPEN',
        `Demand request ${demand.id} is ${demand.status}, not OPEN`,
        field,
      );
    if (!sameTarget(demand.target, agreement.target))
      throw new InvalidInputError(
        field,
        "asks for a different standard or credential than the agreement's",
        'TARGET_MISMATCH',
      );
    if (!servesState(agreement, demand.state))
      throw new InvalidInputError(
        field,
        `is in ${demand.state}, which the agreement neither serves in person nor online`,
        'STATE_NOT_SERVED',
      );
  });
  if (agreement.validUntil.getTime() < ctx.now.getTime())
    throw new InvalidInputError(
      'input.agreementId',
      'has expired',
      'AGREEMENT_EXPIRED',
    );
  const project: TrainingProject = {
    id: ctx.id,
    name: input.name,
    fundName: input.fundName,
    agreementId: agreement.id,
    target: agreement.target,
    demandRequestIds: demands.map((d) => d.id),
    participants: demands.reduce((sum, d) => sum + d.headcount, 0),
    brokerMarkupBps: ctx.brokerMarkupBps,
    requestedFundShareBps: input.requestedFundShareBps,
    approvedFundShareBps: null,
    status: 'DRAFT',
    rejectionReason: null,
    draftedAt: ctx.now,
    submittedAt: null,
    decidedAt: null,
    closedAt: null,
    fundingSplit: input.fundingSplit ?? null,
    settlement: null,
  };
  if (project.fundingSplit)
    assertSplitFits(
      project.fundingSplit,
      projectCost(project, agreement).project.fundContributionCentavos,
      project.participants,
      'input.fundingSplit',
    );
  return project;
}

export function submitProject(p: TrainingProject, now: Date): TrainingProject {
  projectLifecycle.assert(p.status, 'SUBMITTED');
  return { ...p, status: 'SUBMITTED', submittedAt: now };
}

/**
 * Approves with the fund share the fund granted: at most the requested one
 * (and so at most 80 %).
 */
export function approveProject(
  p: TrainingProject,
  approvedFundShareBps: number,
  now: Date,
): TrainingProject {
  projectLifecycle.assert(p.status, 'APPROVED');
  if (approvedFundShareBps > p.requestedFundShareBps)
    throw new InvalidInputError(
      'input.approvedFundShareBps',
      `must not exceed the requested share (${p.requestedFundShareBps} basis points)`,
      'FUND_SHARE_ABOVE_REQUESTED',
    );
  return {
    ...p,
    status: 'APPROVED',
    approvedFundShareBps,
    decidedAt: now,
  };
}

export function rejectProject(
  p: TrainingProject,
  reason: string,
  now: Date,
): TrainingProject {
  projectLifecycle.assert(p.status, 'REJECTED');
  return { ...p, status: 'REJECTED', rejectionReason: reason, decidedAt: now };
}

/** What closing an approved project with a funding split settles on. */
export interface ClosingFacts {
  /** The project's cost at its approved share (`projectCost`). */
  cost: ProjectCost;
  /** Its trainees certified on its target standard (`certifiedTrainees`). */
  certified: number;
}

/** Whether closing `p` settles a funding split (an APPROVED project with one). */
export const settlesFunding = (p: TrainingProject): boolean =>
  p.status === 'APPROVED' && Boolean(p.fundingSplit);

/**
 * Closes a decided project. An approved project with a funding split records
 * its settlement: what the fund owes for the trainees certified by now,
 * capped at the approved contribution (see funding.ts). Any other project
 * closes as before, with no settlement.
 *
 * @throws Error when a settlement is due and `facts` are missing (a caller's bug)
 */
export function closeProject(
  p: TrainingProject,
  now: Date,
  facts?: ClosingFacts,
): TrainingProject {
  projectLifecycle.assert(p.status, 'CLOSED');
  const split = settlesFunding(p) ? p.fundingSplit : null;
  if (split && !facts)
    throw new Error(`closing project ${p.id} needs its certified trainees`);
  const settlement =
    split && facts
      ? settleFunding(
          split,
          facts.cost.project.fundContributionCentavos,
          facts.certified,
          now,
        )
      : null;
  return { ...p, status: 'CLOSED', closedAt: now, settlement };
}

/** The fund share the breakdown uses: the approved one once decided, else the requested. */
export const effectiveFundShareBps = (p: TrainingProject): number =>
  p.approvedFundShareBps ?? p.requestedFundShareBps;

/** A project's cost, per participant and for all its participants. */
export interface ProjectCost {
  participants: number;
  fundShareBps: number;
  perParticipant: CostBreakdown;
  project: CostBreakdown;
}

export function projectCost(
  project: TrainingProject,
  agreement: Agreement,
): ProjectCost {
  const fundShareBps = effectiveFundShareBps(project);
  const perParticipant = participantBreakdown({
    marketPriceCentavos: agreement.marketPriceCentavos,
    discountBps: agreement.discountBps,
    brokerMarkupBps: project.brokerMarkupBps,
    fundShareBps,
  });
  return {
    participants: project.participants,
    fundShareBps,
    perParticipant,
    project: projectBreakdown(perParticipant, project.participants),
  };
}

/** Whether a project's fund application was turned down (REJECTED, or CLOSED after rejection). */
const wasRejected = (project: TrainingProject): boolean =>
  project.status === 'REJECTED' ||
  (project.status === 'CLOSED' && project.rejectionReason !== null);

/** What cancelling an AGGREGATED demand request writes. */
export interface AggregatedCancellation {
  demand: DemandRequest;
  /** The DRAFT project without the request (written first); null when the project is left as it is. */
  project: TrainingProject | null;
}

/**
 * Cancels an AGGREGATED demand request whose project (`project`, null if
 * missing) has not gone to the fund, or was turned down:
 *
 * - project DRAFT and listing the request: the project drops it (its
 *   participants shrink by the headcount) and the request is CANCELLED; a
 *   project's only request cannot go (CONFLICT `PROJECT_WOULD_BE_EMPTY`);
 * - project REJECTED (or CLOSED after rejection), DRAFT but no longer listing
 *   it (a cancellation that stopped half-way), or missing: only the request
 *   is CANCELLED (the rejected application's record is history);
 * - project SUBMITTED, APPROVED, or CLOSED after approval: CONFLICT
 *   `DEMAND_IN_PROJECT` (it is part of a live or granted fund application).
 *
 * @throws ConflictError `INVALID_DEMAND_TRANSITION` unless AGGREGATED
 */
export function cancelAggregatedDemand(
  demand: DemandRequest,
  project: TrainingProject | null,
  reason: string,
): AggregatedCancellation {
  if (demand.status !== 'AGGREGATED') {
    demandLifecycle.assert(demand.status, 'CANCELLED');
    throw new ConflictError(
      'INVALID_DEMAND_TRANSITION',
      `A demand request in status ${demand.status} is not in a project`,
    );
  }
  const cancelled: DemandRequest = {
    ...demand,
    status: 'CANCELLED',
    projectId: null,
    cancellationReason: reason,
  };
  const listed = project?.demandRequestIds.includes(demand.id) ?? false;
  if (
    !project ||
    wasRejected(project) ||
    (project.status === 'DRAFT' && !listed)
  )
    return { demand: cancelled, project: null };
  if (project.status !== 'DRAFT')
    throw new ConflictError(
      'DEMAND_IN_PROJECT',
      `This demand request is part of a ${project.status} training project application and cannot be cancelled`,
    );
  if (project.demandRequestIds.length === 1)
    throw new ConflictError(
      'PROJECT_WOULD_BE_EMPTY',
      'This demand request is the only one of its DRAFT project; a project keeps at least one',
    );
  return {
    demand: cancelled,
    project: {
      ...project,
      demandRequestIds: project.demandRequestIds.filter(
        (id) => id !== demand.id,
      ),
      participants: project.participants - demand.headcount,
    },
  };
}
