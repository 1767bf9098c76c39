import { requireRole } from '@conecta/service-kit';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import { skillGaps } from '../domain/gaps';
import { last12Months } from '../domain/periods';
import {
  notRecordedUplift,
  pricesMonth,
  salaryUpliftReport,
} from '../domain/uplift';
import { surveyScore, type SurveySubjects } from '../domain/survey';
import { cohortFunnel, placementWindow } from '../domain/funnel';
import { funnelCounts, supplyEntries } from '../domain/people';
import { demandSeries, supplySeries } from '../domain/series';
import {
  INTERVAL_LEVEL,
  discloseForecast,
  forecastDemand,
  historyWindow,
  seriesFrom,
} from '../domain/forecast';
import { monthsOf } from '../domain/periods';
import { standardUsage } from '../domain/usage';
import { programReturns } from '../domain/roi';
import { canSeeProjectReturns } from '../domain/access';
import { returnsOf, shaped } from './returns';
import {
  consumerStatus,
  peopleOver,
  perTargetOf,
  spanOf,
  sumsOf,
} from './analytics';

export const Query: QueryResolvers = {
  async demandTrends(_, { filter }, context) {
    const span = spanOf(filter);
    const [headcount, requests] = await Promise.all([
      sumsOf(context, 'DEMAND_HEADCOUNT', span),
      sumsOf(context, 'DEMAND_REQUESTS', span),
    ]);
    return demandSeries(span, headcount, requests, context.disclosure);
  },

  async demandForecast(_, { state, sectorId, asOf }, context) {
    const { from, to } = historyWindow(asOf ?? new Date());
    const span = spanOf({
      from,
      to,
      granularity: 'MONTH',
      ...(state ? { state } : {}),
      ...(sectorId ? { sectorId } : {}),
    });
    const months = monthsOf(
      span.periods.map((p) => p.label),
      'MONTH',
    );
    const sums = (await sumsOf(context, 'DEMAND_HEADCOUNT', span)) ?? new Map();
    const series = seriesFrom(months, sums);
    const result = forecastDemand(series.values);
    const lastMonth = months[months.length - 1]!;
    const shown = discloseForecast(result.steps, context.disclosure);
    const [year, month] = lastMonth.split('-').map(Number) as [number, number];
    return {
      model: result.model,
      smape: result.smape,
      candidates: result.candidates.map(({ model, smape, origins }) => ({
        model,
        smape,
        origins,
      })),
      historyMonths: series.values.length,
      lastMonth,
      intervalLevel: INTERVAL_LEVEL,
      points: shown.map((step) => {
        const start = new Date(Date.UTC(year, month - 1 + step.horizon, 1));
        return {
          period: start.toISOString().slice(0, 7),
          start,
          horizon: step.horizon,
          requestedHeadcount: step.value,
          lower: step.lower,
          upper: step.upper,
        };
      }),
    };
  },

  async supply(_, { filter }, context) {
    const span = spanOf(filter);
    const [trained, completed, certified, placed, people] = await Promise.all([
      sumsOf(context, 'TRAINED', span),
      sumsOf(context, 'COMPLETED', span),
      sumsOf(context, 'CERTIFIED', span),
      sumsOf(context, 'PLACED', span),
      peopleOver(context, 'supplyMonths', span),
    ]);
    const entries = supplyEntries(
      people.records,
      span.scope,
      people.catalog,
      span.granularity,
    );
    return supplySeries(
      span,
      { trained, completed, certified, placed, people: entries.people },
      context.disclosure,
    );
  },

  async skillGaps(_, { filter, first }, context) {
    const span = spanOf(filter);
    const [demand, trained, certified, people] = await Promise.all([
      perTargetOf(context, 'DEMAND_HEADCOUNT', span),
      perTargetOf(context, 'TRAINED', span),
      perTargetOf(context, 'CERTIFIED', span),
      peopleOver(context, 'supplyMonths', span),
    ]);
    const supply = supplyEntries(
      people.records,
      span.scope,
      people.catalog,
      span.granularity,
    ).perTarget;
    return skillGaps(
      { demand, trained, certified, supply },
      span,
      context.disclosure,
      first ?? 20,
    );
  },

  async funnel(_, { filter, placementWithinMonths }, context) {
    const span = spanOf(filter);
    const months = placementWindow(placementWithinMonths);
    const people = await peopleOver(context, 'enrolledMonths', span);
    const result = cohortFunnel(
      funnelCounts(
        people.records,
        span.scope,
        people.catalog,
        span.granularity,
        months,
      ),
      span,
      context.disclosure,
      months,
    );
    return { ...result, trained: result.enrolled };
  },

  async standardUsage(_, { asOf, sectorId }, { stores }) {
    // The window is by issuedAt (the buckets' period), whenever the certificate event arrived.
    const at = asOf ?? new Date();
    const months = last12Months(at).map((p) => p.label);
    const [standards, certificates] = await Promise.all([
      stores.standards.all(),
      stores.buckets.perStandard('CERTIFIED', months),
    ]);
    const certified = new Set(
      [...certificates].filter(([, n]) => n > 0).map(([id]) => id),
    );
    return standardUsage(
      sectorId ? standards.filter((s) => s.sectorId === sectorId) : standards,
      certified,
      at,
    );
  },

  programGoals: (_, __, { stores }) => stores.goals.all(),

  async surveyScores(_, { subject, id }, context) {
    const field: Record<typeof subject, keyof SurveySubjects> = {
      COHORT: 'cohortId',
      PROVIDER: 'providerId',
      STANDARD: 'standardId',
      CREDENTIAL: 'credentialId',
    };
    const surveys = await context.stores.surveys.about(field[subject], id);
    return surveyScore(surveys, context.surveyWeights, context.disclosure);
  },

  async salaryUplift(_, { filter, pricesOf }, { stores, disclosure }) {
    const span = spanOf(filter);
    const prices = pricesMonth(pricesOf);
    const { from, until, scope } = span;
    // Placements record a state and a sector, not a target: a standard or credential filter cannot apply.
    if (scope.standardId || scope.credentialId)
      return notRecordedUplift(prices);
    // The span's whole rows: its periods are protected the same whatever span is asked.
    const placements = await stores.placements.starting(from, until, {
      state: scope.state,
      sectorId: scope.sectorId,
    });
    return salaryUpliftReport(placements, span, disclosure, prices);
  },

  async programReturns(_, { filter, placementWithinMonths }, context) {
    const months = placementWindow(placementWithinMonths);
    const projects = await returnsOf(context, filter, months);
    return programReturns(projects, context.disclosure, months).map(shaped);
  },

  async projectReturns(_, { filter, placementWithinMonths }, context) {
    // A project is the broker's file: admins, brokers and the council (canSeeProjectReturns).
    if (!canSeeProjectReturns(context.identity))
      requireRole(context.identity, 'admin', 'broker', 'council');
    const months = placementWindow(placementWithinMonths);
    const projects = await returnsOf(context, filter, months);
    return projects.map((p) => shaped(p.shown));
  },

  async outcomesConsumerStatus(_, __, { identity, feed }) {
    requireRole(identity, 'admin');
    return consumerStatus(feed);
  },
};
