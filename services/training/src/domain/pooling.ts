import { isoDay, sameTarget, startOfDayUtc } from './common';
import { servesState, type Agreement } from './catalog';
import { seatsLeft, type Cohort } from './cohort';
import type { DemandRequest } from './demand';
import { earliestNewCohort, type Localized, type MatchKind } from './matching';
import { formatMxn, participantBreakdown, type CostBreakdown } from './money';

/** The most seats one cohort may have (`scheduleCohort`'s capacity limit). */
export const MAX_COHORT_SEATS = 1_000;

/** How requests would be served: cohorts, seats paid for, and their full cost. */
export interface PoolPlan {
  cohorts: number;
  /** Seats paid for: a cohort below the agreement's minimum is paid at the minimum. */
  seats: number;
  /** seats × the full cost per seat (negotiated price + broker fee), centavos. */
  costCentavos: number;
}

/** OPEN requests of several organizations that one cohort or one agreement can serve together. */
export interface PoolSuggestion {
  kind: MatchKind;
  agreement: Agreement;
  cohort: Cohort | null;
  demands: DemandRequest[];
  headcount: number;
  /** Distinct requesting organizations (at least two). */
  requesters: number;
  states: string[];
  /** The per-seat cost at the assumed fund share. */
  perSeat: CostBreakdown;
  /** Each request served alone by its own new cohort. */
  separately: PoolPlan;
  /** All of them in one cohort. */
  pooled: PoolPlan;
  /** separately − pooled, centavos (never negative). */
  savingCentavos: number;
  /** Why, in Spanish and English. */
  reasons: Localized[];
}

export interface PoolingTerms {
  now: Date;
  brokerMarkupBps: number;
  fundShareBps: number;
}

/**
 * The projects the broker could put together: for each agreement valid
 * today, the OPEN requests for its target that a new cohort of it can serve
 * (a state it serves or online; its program finishing by each request's
 * needed-by date and inside its validity) — and for each SCHEDULED cohort
 * with free seats, those it can serve (in person in their state or
 * online/hybrid; ending by each needed-by date) — taken earliest deadline
 * first while they fit one cohort (1 000 seats, or the cohort's free seats).
 * A pool needs requests from at least two organizations.
 *
 * The saving is what the catalog models: the per-seat price is flat (no
 * volume tiers), but a cohort does not start below the agreement's minimum
 * cohort size, so a request below it served alone pays for the minimum's
 * seats; pooled, they fill the minimum together. separately = Σ max(headcount,
 * minimum) seats in one cohort per request; pooled = max(total, minimum) seats
 * in one (for an existing cohort, max(total, minimum − enrolled)); the saving
 * is the difference times the full cost per seat. Pools are listed by saving,
 * then by people served.
 */
export function suggestPools(
  demands: readonly DemandRequest[],
  agreements: readonly Agreement[],
  cohorts: readonly Cohort[],
  terms: PoolingTerms,
): PoolSuggestion[] {
  const today = startOfDayUtc(terms.now).getTime();
  const open = [...demands]
    .filter((d) => d.status === 'OPEN')
    .sort(
      (a, b) =>
        a.neededBy.getTime() - b.neededBy.getTime() || a.id.localeCompare(b.id),
    );
  const suggestions: PoolSuggestion[] = [];
  const usable = agreements.filter(
    (a) =>
      a.validFrom.getTime() <= a.validUntil.getTime() &&
      a.validUntil.getTime() >= today,
  );
  for (const agreement of usable) {
    const next = earliestNewCohort(agreement, terms.now);
    const fits = open.filter(
      (d) =>
        sameTarget(d.target, agreement.target) &&
        agreement.validFrom.getTime() <= d.neededBy.getTime() &&
        servesState(agreement, d.state) &&
        next.finishesOn.getTime() <= d.neededBy.getTime() &&
        next.finishesOn.getTime() <= agreement.validUntil.getTime(),
    );
    const pool = fill(fits, MAX_COHORT_SEATS);
    if (requestersOf(pool) >= 2)
      suggestions.push(
        suggestion('AGREEMENT', agreement, null, pool, terms, next.finishesOn),
      );
  }
  for (const cohort of cohorts) {
    const agreement = usable.find((a) => a.id === cohort.agreementId);
    if (!agreement || cohort.status !== 'SCHEDULED') continue;
    const fits = open.filter(
      (d) =>
        sameTarget(d.target, cohort.target) &&
        (cohort.mode !== 'IN_PERSON' || cohort.state === d.state) &&
        cohort.endsOn.getTime() <= d.neededBy.getTime(),
    );
    const pool = fill(fits, seatsLeft(cohort));
    if (requestersOf(pool) >= 2)
      suggestions.push(
        suggestion('COHORT', agreement, cohort, pool, terms, cohort.endsOn),
      );
  }
  return suggestions.sort(
    (a, b) =>
      b.savingCentavos - a.savingCentavos ||
      b.headcount - a.headcount ||
      (a.cohort?.id ?? a.agreement.id).localeCompare(
        b.cohort?.id ?? b.agreement.id,
      ),
  );
}

/** The requests, in order, that fit `seats` together (a request too big is skipped, the next tried). */
function fill(candidates: readonly DemandRequest[], seats: number) {
  const pool: DemandRequest[] = [];
  let taken = 0;
  for (const d of candidates) {
    if (taken + d.headcount > seats) continue;
    pool.push(d);
    taken += d.headcount;
  }
  return pool;
}

const requestersOf = (pool: readonly DemandRequest[]) =>
  new Set(pool.map((d) => d.requesterId)).size;

function suggestion(
  kind: MatchKind,
  agreement: Agreement,
  cohort: Cohort | null,
  demands: DemandRequest[],
  terms: PoolingTerms,
  finishesOn: Date,
): PoolSuggestion {
  const perSeat = participantBreakdown({
    marketPriceCentavos: agreement.marketPriceCentavos,
    discountBps: agreement.discountBps,
    brokerMarkupBps: terms.brokerMarkupBps,
    fundShareBps: terms.fundShareBps,
  });
  const min = agreement.minCohortSize;
  const headcount = demands.reduce((sum, d) => sum + d.headcount, 0);
  const plan = (cohorts: number, seats: number): PoolPlan => ({
    cohorts,
    seats,
    costCentavos: seats * perSeat.totalCentavos,
  });
  const separately = plan(
    demands.length,
    demands.reduce((sum, d) => sum + Math.max(d.headcount, min), 0),
  );
  const pooled = plan(
    1,
    Math.max(headcount, cohort ? min - cohort.enrolled : min),
  );
  const savingCentavos = separately.costCentavos - pooled.costCentavos;
  const states = [...new Set(demands.map((d) => d.state))].sort();
  const requesters = requestersOf(demands);
  const seatsSaved = separately.seats - pooled.seats;
  const by = isoDay(finishesOn);
  const where = cohort
    ? {
        es: `el grupo programado del ${isoDay(cohort.startsOn)} al ${by}`,
        en: `the cohort scheduled ${isoDay(cohort.startsOn)} to ${by}`,
      }
    : {
        es: `un grupo nuevo del convenio, que puede terminar el ${by}`,
        en: `one new cohort under the agreement, which can finish by ${by}`,
      };
  const reasons: Localized[] = [
    {
      es: `${demands.length} solicitudes de ${requesters} organizaciones (${states.join(', ')}), ${headcount} personas, caben en ${where.es}, antes de la fecha límite de cada una`,
      en: `${demands.length} requests from ${requesters} organizations (${states.join(', ')}), ${headcount} people, fit ${where.en}, before each one's deadline`,
    },
    {
      es: `por separado: ${separately.cohorts} grupos y ${separately.seats} lugares pagados (un grupo no inicia con menos de ${min}); juntos: 1 grupo y ${pooled.seats} lugares`,
      en: `separately: ${separately.cohorts} cohorts and ${separately.seats} seats paid for (a cohort does not start below ${min}); pooled: 1 cohort and ${pooled.seats} seats`,
    },
    seatsSaved > 0
      ? {
          es: `ahorro: ${seatsSaved} lugares a ${formatMxn(perSeat.totalCentavos)} = ${formatMxn(savingCentavos)}`,
          en: `saving: ${seatsSaved} seats at ${formatMxn(perSeat.totalCentavos)} = ${formatMxn(savingCentavos)}`,
        }
      : {
          es: `sin ahorro en precio (el convenio no tiene precios por volumen y cada solicitud llega al mínimo); se programan ${separately.cohorts - 1} grupo(s) menos`,
          en: `no price saving (the agreement has no volume prices and every request reaches the minimum); ${separately.cohorts - 1} fewer cohort(s) to schedule`,
        },
  ];
  return {
    kind,
    agreement,
    cohort,
    demands,
    headcount,
    requesters,
    states,
    perSeat,
    separately,
    pooled,
    savingCentavos,
    reasons,
  };
}
