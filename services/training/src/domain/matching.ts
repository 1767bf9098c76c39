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
import { rankingPoints, type ProviderQuality } from './quality';

/** A way to serve a demand: a scheduled cohort, or an agreement under which a new cohort can be scheduled. */
export type MatchKind = 'COHORT' | 'AGREEMENT';

/** A text shown to the broker, Spanish first. */
export interface Localized {
  es: string;
  en: string;
}

/** Stable codes of the reasons matching gives (clients switch on them; the texts may be reworded). */
export const MATCH_REASON_CODES = [
  // why it can serve
  'COVERS_TARGET',
  'IN_STATE',
  'ONLINE',
  'SEATS_FOR_ALL',
  'TOO_FEW_SEATS',
  'BELOW_MINIMUM_COHORT',
  'SCHEDULED_DATES',
  'NEW_COHORT_IN_TIME',
  'QUALITY',
  'QUALITY_UNKNOWN',
  'PRICE',
  // why it ranks above the next option
  'RANKED_BY_SEATS',
  'RANKED_BY_DATES',
  'RANKED_BY_PLACE',
  'RANKED_BY_QUALITY',
  'RANKED_BY_COST',
  'RANKED_BY_END',
  // why it cannot serve
  'AGREEMENT_EXPIRED',
  'AGREEMENT_STARTS_AFTER_DEADLINE',
  'STATE_NOT_SERVED',
  'NEW_COHORT_TOO_LATE',
  'COHORT_NOT_SCHEDULED',
  'COHORT_ELSEWHERE',
  'COHORT_FULL',
  'COHORT_ENDS_LATE',
] as const;
export type MatchReasonCode = (typeof MATCH_REASON_CODES)[number];

/** One reason: a stable code and its text in Spanish and English. */
export interface MatchReason extends Localized {
  code: MatchReasonCode;
}

const reason = (
  code: MatchReasonCode,
  es: string,
  en: string,
): MatchReason => ({
  code,
  es,
  en,
});

/**
 * The criteria a match is ranked by, most significant first (the order of
 * {@link compareMatches}): higher is better except `cost`.
 */
export interface RankCriteria {
  /** 1 when the whole headcount fits. */
  seats: number;
  /** 1 when the dates are fixed (a scheduled cohort ending by the deadline); 0 for a new cohort that can. */
  dates: number;
  /** 1 in person in the requester's state; 0 online. */
  place: number;
  /**
   * The provider's quality: the mean of its parts' whole percentage points
   * (certification, employer surveys; may end in .5, see `rankingPoints`);
   * -1 when unknown.
   */
  quality: number;
  /** What the participant pays after funding, centavos (lower is better). */
  cost: number;
}

export interface Match {
  rank: number;
  kind: MatchKind;
  agreement: Agreement;
  cohort: Cohort | null;
  /** Free seats of the cohort; null for an agreement (a new cohort is sized to the demand). */
  seatsAvailable: number | null;
  /** Whether every requested person fits (cohorts: free seats ≥ headcount; agreements: headcount ≥ minimum cohort size). */
  fitsHeadcount: boolean;
  /** Whether it is delivered in person in the requester's state (else online). */
  inState: boolean;
  /** Whether its dates are fixed (a scheduled cohort), else those of a new cohort started as soon as possible. */
  datesFixed: boolean;
  /** The first day of training: the cohort's, or the earliest a new cohort can start. */
  startsOn: Date;
  /** The last day of training: the cohort's, or the earliest a new cohort can finish. */
  finishesOn: Date;
  /** The provider's quality (null when none was given). */
  quality: ProviderQuality | null;
  /** The per-participant cost at the assumed fund share. */
  cost: CostBreakdown;
  /** The ranking's criteria for this match. */
  criteria: RankCriteria;
  /** Why it can serve and why it ranks where it does: codes with Spanish and English texts. */
  why: MatchReason[];
  /** The English texts of `why` (kept for clients of the first version). */
  reasons: string[];
  /** `why` as one sentence in each language. */
  explained: Localized;
  /** The English sentence (kept for clients of the first version). */
  explanation: string;
}

/** A candidate that covers the target but cannot serve this demand, and why. */
export interface Exclusion {
  agreement: Agreement;
  cohort: Cohort | null;
  why: MatchReason;
  /** The English text of `why`. */
  reason: string;
}

export interface MatchResult {
  demand: DemandRequest;
  servable: boolean;
  matches: Match[];
  excluded: Exclusion[];
  /** One sentence: the best match, or why nothing can serve (a signal for negotiation). */
  summary: string;
  /** The summary in Spanish and English. */
  summarized: Localized;
  /** The fund share the comparison assumed (basis points). */
  assumedFundShareBps: number;
}

export interface MatchingTerms {
  now: Date;
  brokerMarkupBps: number;
  /** The fund share assumed to compare offers; a project fixes the real one. */
  fundShareBps: number;
  /** Quality per provider id (`providerQualities`); absent: quality does not rank. */
  quality?: ReadonlyMap<string, ProviderQuality>;
}

const DAY_MS = 86_400_000;

/**
 * When a new cohort of `agreement` can run if scheduled today: from tomorrow
 * (a cohort is scheduled in the future) or the agreement's first day, for
 * its program's weeks (the last day is `weeks × 7 − 1` days after the first).
 */
export function earliestNewCohort(
  agreement: Agreement,
  now: Date,
): { startsOn: Date; finishesOn: Date } {
  const tomorrow = startOfDayUtc(now).getTime() + DAY_MS;
  const start = Math.max(
    tomorrow,
    startOfDayUtc(agreement.validFrom).getTime(),
  );
  return {
    startsOn: new Date(start),
    finishesOn: new Date(start + (agreement.durationWeeks * 7 - 1) * DAY_MS),
  };
}

/** The ranking's order: fit (seats, dates, place), then quality, then cost; then the earliest end, then id. */
export function compareMatches(
  a: Pick<Match, 'criteria' | 'cohort' | 'agreement' | 'finishesOn'>,
  b: Pick<Match, 'criteria' | 'cohort' | 'agreement' | 'finishesOn'>,
): number {
  const x = a.criteria;
  const y = b.criteria;
  return (
    y.seats - x.seats ||
    y.dates - x.dates ||
    y.place - x.place ||
    y.quality - x.quality ||
    x.cost - y.cost ||
    a.finishesOn.getTime() - b.finishesOn.getTime() ||
    idOf(a).localeCompare(idOf(b))
  );
}

type Candidate = Omit<Match, 'rank' | 'reasons' | 'explained' | 'explanation'>;

/**
 * Ranks what can serve `demand`: best fit first, then the best provider,
 * then the cheapest for the participant.
 *
 * Can serve: covers the target; the agreement is valid today and starts
 * before the needed-by date; delivered in the requester's state or online
 * (HYBRID cohorts count as online); a cohort must be SCHEDULED, have a free
 * seat and end on or before the needed-by date; a new cohort under an
 * agreement must be able to finish its program (`durationWeeks`) by the
 * needed-by date and inside the agreement's validity, starting tomorrow at
 * the earliest.
 *
 * Order ({@link compareMatches}): 1. fit — seats for the whole headcount,
 * then dates (a scheduled cohort's fixed dates before a new cohort that can
 * still make it), then place (in person in the requester's state before
 * online); 2. the provider's quality score (whole points); 3. the lowest
 * participant share after funding; then the earliest end; then id (stable).
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
  const candidates: Candidate[] = [];
  const exclude = (
    agreement: Agreement,
    cohort: Cohort | null,
    why: MatchReason,
  ) => excluded.push({ agreement, cohort, why, reason: why.en });
  const costOf = (a: Agreement) =>
    participantBreakdown({
      marketPriceCentavos: a.marketPriceCentavos,
      discountBps: a.discountBps,
      brokerMarkupBps: terms.brokerMarkupBps,
      fundShareBps: terms.fundShareBps,
    });
  const priceReason = (a: Agreement, cost: CostBreakdown) => {
    const pays = formatMxn(cost.participantShareCentavos);
    const total = formatMxn(cost.totalCentavos);
    const market = formatMxn(a.marketPriceCentavos);
    const discount = formatBps(a.discountBps);
    const fee = formatBps(terms.brokerMarkupBps);
    const fund = formatBps(terms.fundShareBps);
    return reason(
      'PRICE',
      `el participante paga ${pays} de ${total} (precio de mercado ${market}, descuento de ${discount}, cuota del bróker de ${fee}, aportación del fondo de ${fund})`,
      `participant pays ${pays} of ${total} (market ${market}, ${discount} discount, ${fee} broker fee, ${fund} fund share)`,
    );
  };
  const qualityOf = (a: Agreement) => terms.quality?.get(a.providerId) ?? null;
  const criteriaOf = (
    fits: boolean,
    datesFixed: boolean,
    inState: boolean,
    quality: ProviderQuality | null,
    cost: CostBreakdown,
  ): RankCriteria => ({
    seats: Number(fits),
    dates: Number(datesFixed),
    place: Number(inState),
    quality: rankingPoints(quality) ?? -1,
    cost: cost.participantShareCentavos,
  });

  const usable = new Map<string, Agreement>();
  for (const agreement of covering) {
    const next = earliestNewCohort(agreement, terms.now);
    if (agreement.validUntil.getTime() < today.getTime()) {
      const until = isoDay(agreement.validUntil);
      exclude(
        agreement,
        null,
        reason(
          'AGREEMENT_EXPIRED',
          `el convenio venció el ${until}`,
          `the agreement expired on ${until}`,
        ),
      );
    } else if (agreement.validFrom.getTime() > demand.neededBy.getTime()) {
      const from = isoDay(agreement.validFrom);
      exclude(
        agreement,
        null,
        reason(
          'AGREEMENT_STARTS_AFTER_DEADLINE',
          `el convenio empieza el ${from}, después de la fecha límite del ${deadline}`,
          `the agreement starts on ${from}, after the ${deadline} deadline`,
        ),
      );
    } else if (!servesState(agreement, demand.state)) {
      const states = agreement.states.join(', ');
      exclude(
        agreement,
        null,
        reason(
          'STATE_NOT_SERVED',
          `el convenio atiende ${states || 'ningún estado'} de forma presencial y no en línea, no ${demand.state}`,
          `the agreement serves ${states || 'no state'} in person and not online, not ${demand.state}`,
        ),
      );
    } else {
      // Cohorts of a usable agreement are judged on their own dates, even
      // when a new cohort could not make the deadline any more.
      usable.set(agreement.id, agreement);
      const finish = isoDay(next.finishesOn);
      const weeks = agreement.durationWeeks;
      if (next.finishesOn.getTime() > demand.neededBy.getTime()) {
        exclude(
          agreement,
          null,
          reason(
            'NEW_COHORT_TOO_LATE',
            `un grupo nuevo de ${weeks} semana(s) que empiece el ${isoDay(next.startsOn)} terminaría el ${finish}, después de la fecha límite del ${deadline}`,
            `a new cohort of ${weeks} week(s) starting ${isoDay(next.startsOn)} would finish on ${finish}, after the ${deadline} deadline`,
          ),
        );
        continue;
      }
      if (next.finishesOn.getTime() > agreement.validUntil.getTime()) {
        const until = isoDay(agreement.validUntil);
        exclude(
          agreement,
          null,
          reason(
            'NEW_COHORT_TOO_LATE',
            `un grupo nuevo de ${weeks} semana(s) que empiece el ${isoDay(next.startsOn)} terminaría el ${finish}, después de que el convenio venza el ${until}`,
            `a new cohort of ${weeks} week(s) starting ${isoDay(next.startsOn)} would finish on ${finish}, after the agreement ends on ${until}`,
          ),
        );
        continue;
      }
      const cost = costOf(agreement);
      const quality = qualityOf(agreement);
      const inState = agreement.states.includes(demand.state);
      const fits = demand.headcount >= agreement.minCohortSize;
      const why = [
        COVERS,
        inState
          ? reason(
              'IN_STATE',
              `imparte de forma presencial en ${demand.state}`,
              `delivers in person in ${demand.state}`,
            )
          : reason(
              'ONLINE',
              `imparte en línea (no de forma presencial en ${demand.state})`,
              `delivers online (not in person in ${demand.state})`,
            ),
        fits
          ? reason(
              'SEATS_FOR_ALL',
              `un grupo nuevo da lugar a las ${demand.headcount} personas`,
              `a new cohort seats all ${demand.headcount} people`,
            )
          : reason(
              'BELOW_MINIMUM_COHORT',
              `un grupo nuevo necesita al menos ${agreement.minCohortSize} participantes; esta solicitud trae ${demand.headcount}`,
              `a new cohort needs at least ${agreement.minCohortSize} participants; this request brings ${demand.headcount}`,
            ),
        reason(
          'NEW_COHORT_IN_TIME',
          `un grupo nuevo de ${agreement.durationHours} horas en ${weeks} semana(s) que empiece el ${isoDay(next.startsOn)} puede terminar el ${finish}, antes de la fecha límite del ${deadline}`,
          `a new cohort of ${agreement.durationHours} hours over ${weeks} week(s) starting ${isoDay(next.startsOn)} can finish by ${finish}, before the ${deadline} deadline`,
        ),
        qualityReason(quality),
        priceReason(agreement, cost),
      ];
      candidates.push({
        kind: 'AGREEMENT',
        agreement,
        cohort: null,
        seatsAvailable: null,
        fitsHeadcount: fits,
        inState,
        datesFixed: false,
        startsOn: next.startsOn,
        finishesOn: next.finishesOn,
        quality,
        cost,
        criteria: criteriaOf(fits, false, inState, quality, cost),
        why,
      });
    }
  }

  for (const cohort of cohorts) {
    const agreement = usable.get(cohort.agreementId);
    if (!agreement) continue;
    const online = cohort.mode !== 'IN_PERSON';
    const inState = cohort.mode !== 'ONLINE' && cohort.state === demand.state;
    const seats = seatsLeft(cohort);
    let why: MatchReason | null = null;
    if (cohort.status !== 'SCHEDULED')
      why = reason(
        'COHORT_NOT_SCHEDULED',
        `el grupo está en estado ${cohort.status}`,
        `the cohort is ${cohort.status}`,
      );
    else if (!inState && !online)
      why = reason(
        'COHORT_ELSEWHERE',
        `el grupo es presencial en ${cohort.state}, no en ${demand.state}`,
        `the cohort is in person in ${cohort.state}, not ${demand.state}`,
      );
    else if (seats === 0)
      why = reason('COHORT_FULL', 'el grupo está lleno', 'the cohort is full');
    else if (cohort.endsOn.getTime() > demand.neededBy.getTime()) {
      const ends = isoDay(cohort.endsOn);
      why = reason(
        'COHORT_ENDS_LATE',
        `el grupo termina el ${ends}, después de la fecha límite del ${deadline}`,
        `the cohort ends on ${ends}, after the ${deadline} deadline`,
      );
    }
    if (why) {
      exclude(agreement, cohort, why);
      continue;
    }
    const cost = costOf(agreement);
    const quality = qualityOf(agreement);
    const fits = seats >= demand.headcount;
    const hybrid = cohort.mode === 'HYBRID';
    const starts = isoDay(cohort.startsOn);
    const ends = isoDay(cohort.endsOn);
    candidates.push({
      kind: 'COHORT',
      agreement,
      cohort,
      seatsAvailable: seats,
      fitsHeadcount: fits,
      inState,
      datesFixed: true,
      startsOn: cohort.startsOn,
      finishesOn: cohort.endsOn,
      quality,
      cost,
      criteria: criteriaOf(fits, true, inState, quality, cost),
      why: [
        COVERS,
        inState
          ? reason(
              'IN_STATE',
              `${hybrid ? 'híbrido' : 'presencial'} en ${cohort.city ?? ''} (${demand.state})`,
              `${hybrid ? 'hybrid' : 'in person'} in ${cohort.city ?? ''} (${demand.state})`,
            )
          : reason(
              'ONLINE',
              `en línea (${cohort.mode})`,
              `online (${cohort.mode})`,
            ),
        fits
          ? reason(
              'SEATS_FOR_ALL',
              `${seats} lugares libres para ${demand.headcount} personas`,
              `${seats} free seats for ${demand.headcount} people`,
            )
          : reason(
              'TOO_FEW_SEATS',
              `solo ${seats} lugares libres para ${demand.headcount} personas`,
              `only ${seats} free seats for ${demand.headcount} people`,
            ),
        reason(
          'SCHEDULED_DATES',
          `se imparte del ${starts} al ${ends}, antes de la fecha límite del ${deadline}`,
          `runs ${starts} to ${ends}, before the ${deadline} deadline`,
        ),
        qualityReason(quality),
        priceReason(agreement, cost),
      ],
    });
  }

  const ranked = [...candidates].sort(compareMatches);
  const matches: Match[] = ranked.map((m, i) => {
    const next = ranked[i + 1];
    const why = next ? [...m.why, rankReason(m, next)] : m.why;
    const explained = {
      es: `#${i + 1} ${m.kind === 'COHORT' ? 'grupo programado' : 'convenio (grupo nuevo)'}: ${why.map((r) => r.es).join('; ')}.`,
      en: `#${i + 1} ${m.kind === 'COHORT' ? 'scheduled cohort' : 'agreement (new cohort)'}: ${why.map((r) => r.en).join('; ')}.`,
    };
    return {
      ...m,
      rank: i + 1,
      why,
      reasons: why.map((r) => r.en),
      explained,
      explanation: explained.en,
    };
  });

  const summarized = summarize(demand, covering.length, matches, excluded);
  return {
    demand,
    servable: matches.length > 0,
    matches,
    excluded,
    summary: summarized.en,
    summarized,
    assumedFundShareBps: terms.fundShareBps,
  };
}

const COVERS = reason(
  'COVERS_TARGET',
  'cubre la norma o certificación solicitada',
  'covers the requested target',
);

const idOf = (m: Pick<Match, 'cohort' | 'agreement'>): string =>
  m.cohort?.id ?? m.agreement.id;

const percent = (rate: number): string => `${Math.round(rate * 100)}%`;

/** A survey rate (0–1) back on the surveys' 1–5 scale, one decimal. */
const outOfFive = (rate: number): string => (1 + 4 * rate).toFixed(1);

/** The certification part, in words; null when it does not count. */
function certificationWords(quality: ProviderQuality): Localized | null {
  if (quality.certificationScore === null || quality.prior === null)
    return null;
  const { completed, certified } = quality.certification;
  const prior = percent(quality.prior);
  if (completed === 0)
    return {
      es: `sin egresados registrados, se le asigna el promedio de los proveedores comparados (${prior})`,
      en: `no completers on record, so it is scored at the compared providers' mean (${prior})`,
    };
  return {
    es: `${certified} de ${completed} egresados certificados, ajustado hacia el promedio de los proveedores comparados (${prior}) por el tamaño de la muestra`,
    en: `${certified} of ${completed} completers certified, shrunk toward the compared providers' mean (${prior}) for the sample size`,
  };
}

/** The employer-survey part, in words; null when it does not count. */
function surveyWords(quality: ProviderQuality): Localized | null {
  const { score, prior } = quality.surveyPart;
  if (score === null || prior === null) return null;
  const mean = outOfFive(prior);
  const survey = quality.survey;
  if (!survey)
    return {
      es: `ninguna publicada, se le asigna el promedio de los proveedores comparados (${mean} de 5)`,
      en: `none released, so it is scored at the compared providers' mean (${mean} out of 5)`,
    };
  const average = survey.average.toFixed(1);
  return {
    es: `${average} de 5 en ${survey.responses} respuestas, ajustado hacia el promedio de los proveedores comparados (${mean} de 5) por el tamaño de la muestra`,
    en: `${average} out of 5 over ${survey.responses} responses, shrunk toward the compared providers' mean (${mean} out of 5) for the sample size`,
  };
}

/**
 * The provider's quality, in words (always shown, also when it does not
 * decide): its score and each part that counted — certification, employer
 * surveys — with the record behind it.
 */
function qualityReason(quality: ProviderQuality | null): MatchReason {
  const points = rankingPoints(quality);
  if (!quality || points === null)
    return reason(
      'QUALITY_UNKNOWN',
      'aún no hay egresados de estos proveedores con resultado de certificación ni encuestas de empleadores publicadas: la calidad no ordena estas opciones',
      'no completer of these providers has a certification outcome yet, and no employer survey score is released: quality does not rank these options',
    );
  const score = `${points}%`;
  const certification = certificationWords(quality);
  const surveys = surveyWords(quality);
  if (certification && surveys) {
    const c = percent(quality.certificationScore!);
    const s = percent(quality.surveyPart.score!);
    return reason(
      'QUALITY',
      `calidad del proveedor ${score}, promedio de certificación ${c} (${certification.es}) y encuestas de empleadores ${s} (${surveys.es})`,
      `provider quality ${score}, the mean of certification ${c} (${certification.en}) and employer surveys ${s} (${surveys.en})`,
    );
  }
  if (surveys)
    return reason(
      'QUALITY',
      `calidad del proveedor ${score}: encuestas de empleadores ${surveys.es}`,
      `provider quality ${score}: employer surveys ${surveys.en}`,
    );
  return reason(
    'QUALITY',
    `calidad del proveedor ${score}: ${certification!.es}`,
    `provider quality ${score}: ${certification!.en}`,
  );
}

/** Why `m` ranks above the next candidate: the first criterion that tells them apart. */
function rankReason(m: Candidate, next: Candidate): MatchReason {
  const a = m.criteria;
  const b = next.criteria;
  const above = 'queda por encima de la siguiente opción porque';
  const ranks = 'ranks above the next option because';
  if (a.seats !== b.seats)
    return reason(
      'RANKED_BY_SEATS',
      `${above} da lugar a todo el grupo`,
      `${ranks} it fits the whole headcount`,
    );
  if (a.dates !== b.dates)
    return reason(
      'RANKED_BY_DATES',
      `${above} sus fechas son firmes: el grupo ya está programado`,
      `${ranks} its dates are fixed: the cohort is already scheduled`,
    );
  if (a.place !== b.place)
    return reason(
      'RANKED_BY_PLACE',
      `${above} es presencial en el estado de quien solicita`,
      `${ranks} it is in person in the requester’s state`,
    );
  if (a.quality !== b.quality)
    return reason(
      'RANKED_BY_QUALITY',
      `${above} la calidad de su proveedor es ${a.quality}% contra ${b.quality}%`,
      `${ranks} its provider's quality score is ${a.quality}% against ${b.quality}%`,
    );
  if (a.cost !== b.cost) {
    const diff = formatMxn(b.cost - a.cost);
    return reason(
      'RANKED_BY_COST',
      `${above} el participante paga ${diff} menos`,
      `${ranks} the participant pays ${diff} less`,
    );
  }
  return reason(
    'RANKED_BY_END',
    `${above} termina antes (o, en todo lo demás igual, por orden estable)`,
    `${ranks} it ends earlier (or, all else equal, by a stable order)`,
  );
}

function summarize(
  demand: DemandRequest,
  covering: number,
  matches: readonly Match[],
  excluded: readonly Exclusion[],
): Localized {
  const best = matches[0];
  if (best)
    return {
      es: `${matches.length} opción(es) pueden atender esta demanda; la mejor: ${best.explained.es}`,
      en: `${matches.length} option(s) can serve this demand; the best: ${best.explained.en}`,
    };
  const standard = demand.target.kind === 'STANDARD';
  if (covering === 0)
    return {
      es: `Nada puede atender esta demanda: ningún convenio cubre ${standard ? 'la norma' : 'la certificación'} solicitada — negocie uno.`,
      en: `Nothing can serve this demand: no agreement covers the requested ${standard ? 'standard' : 'credential'} — negotiate one.`,
    };
  const distinct = (texts: string[]) => [...new Set(texts)].join('; ');
  const by = isoDay(demand.neededBy);
  return {
    es: `Nada puede atender esta demanda: ${covering} convenio(s) cubren el objetivo pero ninguno califica (${distinct(excluded.map((e) => e.why.es))}) — negocie cobertura para ${demand.state} antes del ${by}.`,
    en: `Nothing can serve this demand: ${covering} agreement(s) cover the target but none qualifies (${distinct(excluded.map((e) => e.why.en))}) — negotiate coverage for ${demand.state} by ${by}.`,
  };
}
