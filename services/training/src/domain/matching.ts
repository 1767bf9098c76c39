import { isoDay, sameTarget, startOfDayUtc } from './common';
import { servesState, type Agreement } from './catalog';
import { seatsLeft, type Cohort } from './cohort';
import type { DemandRequest } from './demand';
import {
  formatBps,
  formatMxn,
  participantBreakdown,
  type CostBreakdown,
} from './money';

/** A way to serve a demand: a scheduled cohort, or an agreement under which a new cohort can be scheduled. */
export type MatchKind = 'COHORT' | 'AGREEMENT';

export interface Match {
  rank: number;
  kind: MatchKind;
  agreement: Agreement;
  cohort: Cohort | null;
  /** Free seats of the cohort; null for an agreement (a new cohort is sized to the demand). */
  seatsAvailable: number | null;
  /** Whether every requested person fits (cohorts: free seats ≥ headcount). */
  fitsHeadcount: boolean;
  /** Whether it is delivered in person in the requester's state (else online). */
  inState: boolean;
  /** The per-participant cost at the assumed fund share. */
  cost: CostBreakdown;
  /** Why it can serve, and why it ranks where it does, in words. */
  reasons: string[];
  explanation: string;
}

/** A candidate that covers the target but cannot serve this demand, and why. */
export interface Exclusion {
  agreement: Agreement;
  cohort: Cohort | null;
  reason: string;
}

export interface MatchResult {
  demand: DemandRequest;
  servable: boolean;
  matches: Match[];
  excluded: Exclusion[];
  /** One sentence: the best match, or why nothing can serve (a signal for negotiation). */
  summary: string;
  /** The fund share the comparison assumed (basis points). */
  assumedFundShareBps: number;
}

export interface MatchingTerms {
  now: Date;
  brokerMarkupBps: number;
  /** The fund share assumed to compare offers; a project fixes the real one. */
  fundShareBps: number;
}

/**
 * Ranks what can serve `demand`, cheapest for the participant first.
 *
 * Can serve: covers the target; the agreement is valid today and starts before
 * the needed-by date; delivered in the requester's state or online (HYBRID
 * cohorts count as online); a cohort must be SCHEDULED, have a free seat and
 * end on or before the needed-by date.
 *
 * Order: lowest participant share after funding; then whoever fits the whole
 * headcount; then in-state before online; then a scheduled cohort before an
 * agreement (it exists already); then the earliest end; then id (stable).
 */
export function matchDemand(
  demand: DemandRequest,
  agreements: readonly Agreement[],
  cohorts: readonly Cohort[],
  terms: MatchingTerms,
): MatchResult {
  const today = startOfDayUtc(terms.now);
  const deadline = isoDay(demand.neededBy);
  const covering = agreements.filter((a) =>
    sameTarget(a.target, demand.target),
  );
  const excluded: Exclusion[] = [];
  const candidates: Omit<Match, 'rank' | 'explanation'>[] = [];
  const costOf = (a: Agreement) =>
    participantBreakdown({
      marketPriceCentavos: a.marketPriceCentavos,
      discountBps: a.discountBps,
      brokerMarkupBps: terms.brokerMarkupBps,
      fundShareBps: terms.fundShareBps,
    });
  const priceReason = (a: Agreement, cost: CostBreakdown) =>
    `participant pays ${formatMxn(cost.participantShareCentavos)} of ${formatMxn(cost.totalCentavos)} ` +
    `(market ${formatMxn(a.marketPriceCentavos)}, ${formatBps(a.discountBps)} discount, ` +
    `${formatBps(terms.brokerMarkupBps)} broker fee, ${formatBps(terms.fundShareBps)} fund share)`;

  const usable = new Map<string, Agreement>();
  for (const agreement of covering) {
    if (agreement.validUntil.getTime() < today.getTime()) {
      excluded.push({
        agreement,
        cohort: null,
        reason: `the agreement expired on ${isoDay(agreement.validUntil)}`,
      });
    } else if (agreement.validFrom.getTime() > demand.neededBy.getTime()) {
      excluded.push({
        agreement,
        cohort: null,
        reason: `the agreement starts on ${isoDay(agreement.validFrom)}, after the ${deadline} deadline`,
      });
    } else if (!servesState(agreement, demand.state)) {
      excluded.push({
        agreement,
        cohort: null,
        reason: `the agreement serves ${agreement.states.join(', ') || 'no state'} in person and not online, not ${demand.state}`,
      });
    } else {
      usable.set(agreement.id, agreement);
      const cost = costOf(agreement);
      const inState = agreement.states.includes(demand.state);
      const reasons = [
        'covers the requested target',
        inState
          ? `delivers in person in ${demand.state}`
          : `delivers online (not in person in ${demand.state})`,
        `valid from ${isoDay(agreement.validFrom)} to ${isoDay(agreement.validUntil)}: a new cohort can finish by ${deadline}`,
        priceReason(agreement, cost),
      ];
      if (demand.headcount < agreement.minCohortSize)
        reasons.push(
          `a new cohort needs at least ${agreement.minCohortSize} participants; this request brings ${demand.headcount}`,
        );
      candidates.push({
        kind: 'AGREEMENT',
        agreement,
        cohort: null,
        seatsAvailable: null,
        fitsHeadcount: demand.headcount >= agreement.minCohortSize,
        inState,
        cost,
        reasons,
      });
    }
  }

  for (const cohort of cohorts) {
    const agreement = usable.get(cohort.agreementId);
    if (!agreement) continue;
    const online = cohort.mode !== 'IN_PERSON';
    const inState = cohort.mode !== 'ONLINE' && cohort.state === demand.state;
    const seats = seatsLeft(cohort);
    let reason: string | null = null;
    if (cohort.status !== 'SCHEDULED')
      reason = `the cohort is ${cohort.status}`;
    else if (!inState && !online)
      reason = `the cohort is in person in ${cohort.state}, not ${demand.state}`;
    else if (seats === 0) reason = 'the cohort is full';
    else if (cohort.endsOn.getTime() > demand.neededBy.getTime())
      reason = `the cohort ends on ${isoDay(cohort.endsOn)}, after the ${deadline} deadline`;
    if (reason) {
      excluded.push({ agreement, cohort, reason });
      continue;
    }
    const cost = costOf(agreement);
    candidates.push({
      kind: 'COHORT',
      agreement,
      cohort,
      seatsAvailable: seats,
      fitsHeadcount: seats >= demand.headcount,
      inState,
      cost,
      reasons: [
        'covers the requested target',
        inState
          ? `${cohort.mode === 'HYBRID' ? 'hybrid' : 'in person'} in ${cohort.city ?? ''} (${demand.state})`
          : `online (${cohort.mode})`,
        seats >= demand.headcount
          ? `${seats} free seats for ${demand.headcount} people`
          : `only ${seats} free seats for ${demand.headcount} people`,
        `runs ${isoDay(cohort.startsOn)} to ${isoDay(cohort.endsOn)}, before the ${deadline} deadline`,
        priceReason(agreement, cost),
      ],
    });
  }

  const ranked = [...candidates].sort(
    (a, b) =>
      a.cost.participantShareCentavos - b.cost.participantShareCentavos ||
      Number(b.fitsHeadcount) - Number(a.fitsHeadcount) ||
      Number(b.inState) - Number(a.inState) ||
      Number(b.kind === 'COHORT') - Number(a.kind === 'COHORT') ||
      endOf(a) - endOf(b) ||
      idOf(a).localeCompare(idOf(b)),
  );
  const matches: Match[] = ranked.map((m, i) => {
    const next = ranked[i + 1];
    const why = next ? rankReason(m, next) : null;
    const reasons = why ? [...m.reasons, why] : m.reasons;
    return {
      ...m,
      rank: i + 1,
      reasons,
      explanation: `#${i + 1} ${m.kind === 'COHORT' ? 'scheduled cohort' : 'agreement (new cohort)'}: ${reasons.join('; ')}.`,
    };
  });

  return {
    demand,
    servable: matches.length > 0,
    matches,
    excluded,
    summary: summarize(demand, covering.length, matches, excluded),
    assumedFundShareBps: terms.fundShareBps,
  };
}

const endOf = (m: Pick<Match, 'cohort' | 'agreement'>): number =>
  (m.cohort?.endsOn ?? m.agreement.validUntil).getTime();
const idOf = (m: Pick<Match, 'cohort' | 'agreement'>): string =>
  m.cohort?.id ?? m.agreement.id;

/** Why `m` ranks above the next candidate, in words. */
function rankReason(
  m: Omit<Match, 'rank' | 'explanation'>,
  next: Omit<Match, 'rank' | 'explanation'>,
): string {
  const diff =
    next.cost.participantShareCentavos - m.cost.participantShareCentavos;
  if (diff > 0)
    return `ranks above the next option because the participant pays ${formatMxn(diff)} less`;
  if (m.fitsHeadcount && !next.fitsHeadcount)
    return 'ranks above the next option at the same cost because it fits the whole headcount';
  if (m.inState && !next.inState)
    return 'ranks above the next option at the same cost because it is in person in the requester’s state';
  if (m.kind === 'COHORT' && next.kind === 'AGREEMENT')
    return 'ranks above the next option at the same cost because the cohort is already scheduled';
  return 'ranks above the next option at the same cost because it ends earlier';
}

function summarize(
  demand: DemandRequest,
  covering: number,
  matches: readonly Match[],
  excluded: readonly Exclusion[],
): string {
  const best = matches[0];
  if (best)
    return `${matches.length} option(s) can serve this demand; the best: ${best.explanation}`;
  if (covering === 0)
    return `Nothing can serve this demand: no agreement covers the requested ${demand.target.kind === 'STANDARD' ? 'standard' : 'credential'} — negotiate one.`;
  return `Nothing can serve this demand: ${covering} agreement(s) cover the target but none qualifies (${[
    ...new Set(excluded.map((e) => e.reason)),
  ].join(
    '; ',
  )}) — negotiate coverage for ${demand.state} by ${isoDay(demand.neededBy)}.`;
}
