import type { Formats, Messages } from './i18n';
import type { PanelContent } from './panel';
import { PALETTE } from './echarts';
import { MEXICO_MAP } from './mexico-map';
import type {
  CertifierStandard,
  DemandForecast,
  DemandPoint,
  Funnel,
  OutcomeCount,
  ProgramGoal,
  SalaryUplift,
  SkillGap,
  SupplyPoint,
} from './queries';

/** The words and formats of the current language. */
export interface Locale {
  t: Messages;
  f: Formats;
}

/** A count as the table shows it: the number, or why it is withheld; * when partial. */
export function countText({ t, f }: Locale, count: OutcomeCount): string {
  if (count.value === null)
    return count.suppressed === 'NOT_RECORDED' ? t.notRecorded : t.suppressed;
  return `${f.integer(count.value)}${count.partial ? '*' : ''}`;
}

const rateText = ({ t, f }: Locale, rate: number | null) =>
  rate === null ? t.none : f.percent(rate);

const csvCount = (count: OutcomeCount) => [
  count.value,
  count.suppressed ?? '',
  count.partial,
];
const csvCountFields = (name: string) => [
  name,
  `${name}_suppressed`,
  `${name}_partial`,
];

const axisNumber =
  ({ f }: Locale) =>
  (value: number) =>
    f.integer(value);

/** Requested headcount per period, with its growth rate on a second axis. */
export function demandContent(
  l: Locale,
  points: readonly DemandPoint[],
  forecast: DemandForecast,
): PanelContent {
  const { t, f } = l;
  // The forecast is monthly: drawn when the series is (labels YYYY-MM), after it.
  const monthly = /^\d{4}-\d{2}$/.test(points[0]?.period ?? '');
  const ahead = forecast.model ? forecast.points : [];
  const drawn = monthly ? ahead : [];
  const labels = [
    ...new Set([...points.map((p) => p.period), ...drawn.map((p) => p.period)]),
  ].sort();
  const at = <T extends { period: string }>(list: readonly T[]) =>
    new Map(list.map((p) => [p.period, p]));
  const history = at(points);
  const future = at(drawn);
  const fromForecast = <T>(pick: (p: DemandForecast['points'][number]) => T) =>
    labels.map((label) => {
      const p = future.get(label);
      return p ? pick(p) : null;
    });
  const level = f.percent(forecast.intervalLevel);
  const forecastNote = forecast.model
    ? t.forecastNote(
        t.forecastModels[forecast.model],
        f.percent((forecast.smape ?? 0) / 100),
        level,
      ) + (monthly ? '' : ` ${t.forecastMonthly}`)
    : t.noForecast;
  return {
    option: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 64, right: 64, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: labels.map((p) => f.period(p)) },
      yAxis: [
        { type: 'value', axisLabel: { formatter: axisNumber(l) } },
        {
          type: 'value',
          axisLabel: { formatter: (v: number) => f.percent(v) },
          splitLine: { show: false },
        },
      ],
      series: [
        {
          name: t.requestedHeadcount,
          type: 'bar',
          color: PALETTE.demand,
          data: labels.map(
            (label) => history.get(label)?.requestedHeadcount.value ?? null,
          ),
          tooltip: { valueFormatter: (v) => numberOrDash(l, v) },
        },
        {
          name: t.growthRate,
          type: 'line',
          yAxisIndex: 1,
          color: PALETTE.neutral,
          data: labels.map((label) => history.get(label)?.growthRate ?? null),
          tooltip: {
            valueFormatter: (v) =>
              typeof v === 'number' ? f.percent(v) : t.none,
          },
        },
        ...(drawn.length > 0
          ? [
              // The band: its lower bound (invisible), then its height stacked on it.
              {
                name: t.forecastInterval,
                type: 'line' as const,
                stack: 'interval',
                symbol: 'none',
                lineStyle: { opacity: 0 },
                color: PALETTE.demand,
                data: fromForecast((p) => p.lower),
                tooltip: { show: false },
              },
              {
                name: t.forecastInterval,
                type: 'line' as const,
                stack: 'interval',
                symbol: 'none',
                lineStyle: { opacity: 0 },
                areaStyle: { color: PALETTE.demand, opacity: 0.15 },
                color: PALETTE.demand,
                data: fromForecast((p) =>
                  p.lower === null || p.upper === null
                    ? null
                    : p.upper - p.lower,
                ),
                tooltip: { show: false },
              },
              {
                name: t.forecast,
                type: 'line' as const,
                color: PALETTE.demand,
                lineStyle: { type: 'dashed' as const, width: 2 },
                data: fromForecast((p) => p.requestedHeadcount.value),
                tooltip: {
                  valueFormatter: (v: unknown) => numberOrDash(l, v),
                },
              },
            ]
          : []),
      ],
    },
    table: {
      head: [t.period, t.requestedHeadcount, t.requests, t.growthRate],
      rows: points.map((p) => [
        f.period(p.period),
        countText(l, p.requestedHeadcount),
        countText(l, p.requests),
        rateText(l, p.growthRate),
      ]),
    },
    csv: {
      fields: [
        'kind',
        'period',
        'start',
        ...csvCountFields('requested_headcount'),
        ...csvCountFields('requests'),
        'growth_rate',
        'forecast_lower',
        'forecast_upper',
        'forecast_model',
        'forecast_smape',
      ],
      // The series as asked, then the forecast's months (kind "forecast").
      data: [
        ...points.map((p) => [
          'actual',
          p.period,
          p.start,
          ...csvCount(p.requestedHeadcount),
          ...csvCount(p.requests),
          p.growthRate,
          null,
          null,
          null,
          null,
        ]),
        ...ahead.map((p) => [
          'forecast',
          p.period,
          p.start,
          ...csvCount(p.requestedHeadcount),
          null,
          null,
          null,
          null,
          p.lower,
          p.upper,
          forecast.model,
          forecast.smape,
        ]),
      ],
    },
    note: `${forecastNote} ${t.suppressedNote}`,
  };
}

/** One state on the map: requested headcount, people trained there, the gap. */
export interface StateTotals {
  code: string;
  name: string;
  demand: OutcomeCount;
  trained: OutcomeCount;
}

/** demand − trained, as skillGaps computes a gap under a state filter; null when either is partial. */
export function stateGap(s: StateTotals): number | null {
  if (s.demand.value === null || s.trained.value === null) return null;
  if (s.demand.partial || s.trained.partial) return null;
  return s.demand.value - s.trained.value;
}

/** Mexico's states colored by demand or by gap. */
export function mapContent(
  l: Locale,
  states: readonly StateTotals[],
  by: 'demand' | 'gap',
): PanelContent {
  const { t, f } = l;
  const values = states.map((s) =>
    by === 'demand' ? s.demand.value : stateGap(s),
  );
  const shown = values.filter((v): v is number => v !== null);
  const max = Math.max(1, ...shown.map(Math.abs));
  const names = new Map(states.map((s) => [s.code, s.name]));
  return {
    option: {
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const item = p as unknown as { name: string; value: number };
          return `${names.get(item.name) ?? item.name}: ${numberOrDash(l, item.value)}`;
        },
      },
      visualMap: {
        type: 'continuous',
        min: by === 'gap' ? -max : 0,
        max,
        calculable: false,
        left: 8,
        bottom: 8,
        text: [f.integer(max), f.integer(by === 'gap' ? -max : 0)],
        inRange: {
          color:
            by === 'gap'
              ? [PALETTE.surplus, '#f3f4f6', PALETTE.gap]
              : ['#e8f0fb', PALETTE.demand],
        },
      },
      series: [
        {
          type: 'map',
          map: MEXICO_MAP,
          name: by === 'demand' ? t.demand : t.gap,
          roam: false,
          emphasis: { label: { show: false } },
          select: { disabled: true },
          // '-': no value (withheld or partial), drawn in the no-data color.
          data: states.map((s, i) => ({
            name: s.code,
            value: values[i] ?? '-',
          })),
        },
      ],
    },
    table: {
      head: [t.state, t.demand, t.trainedInState, t.gap],
      rows: states.map((s) => {
        const gap = stateGap(s);
        return [
          s.name,
          countText(l, s.demand),
          countText(l, s.trained),
          gap === null ? t.none : f.integer(gap),
        ];
      }),
    },
    csv: {
      fields: [
        'state',
        'state_name',
        ...csvCountFields('requested_headcount'),
        ...csvCountFields('trained'),
        'gap',
      ],
      data: states.map((s) => [
        s.code,
        s.name,
        ...csvCount(s.demand),
        ...csvCount(s.trained),
        stateGap(s),
      ]),
    },
    note: `${t.suppressedNote} ${t.mapAttribution}`,
  };
}

const gapTarget = (g: SkillGap) =>
  g.standard ? g.standard.code : (g.credential?.name ?? '');
const gapTargetLong = (g: SkillGap) =>
  g.standard
    ? `${g.standard.code} — ${g.standard.title}`
    : (g.credential?.name ?? '');

/** Targets ranked by unmet demand, largest first. */
export function gapsContent(
  l: Locale,
  gaps: readonly SkillGap[],
): PanelContent {
  const { t, f } = l;
  return {
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 140, right: 32, top: 16, bottom: 32 },
      xAxis: { type: 'value', axisLabel: { formatter: axisNumber(l) } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: gaps.map(gapTarget),
        axisLabel: { width: 130, overflow: 'truncate' },
      },
      series: [
        {
          name: t.gap,
          type: 'bar',
          data: gaps.map((g) => ({
            value: g.gap,
            itemStyle: {
              color: (g.gap ?? 0) >= 0 ? PALETTE.gap : PALETTE.surplus,
            },
          })),
          tooltip: { valueFormatter: (v) => numberOrDash(l, v) },
        },
      ],
    },
    table: {
      head: [t.rank, t.target, t.demand, t.supply, t.gap],
      rows: gaps.map((g, i) => [
        f.integer(i + 1),
        gapTargetLong(g),
        countText(l, g.demand),
        countText(l, g.supply),
        g.gap === null ? t.none : f.integer(g.gap),
      ]),
    },
    csv: {
      fields: [
        'rank',
        'standard_code',
        'standard_title',
        'credential',
        ...csvCountFields('demand'),
        ...csvCountFields('supply'),
        'gap',
      ],
      data: gaps.map((g, i) => [
        i + 1,
        g.standard?.code ?? '',
        g.standard?.title ?? '',
        g.credential?.name ?? '',
        ...csvCount(g.demand),
        ...csvCount(g.supply),
        g.gap,
      ]),
    },
    note: t.suppressedNote,
  };
}

/** Requested headcount against trained, certified and placed per period. */
export function supplyContent(
  l: Locale,
  demand: readonly DemandPoint[],
  supply: readonly SupplyPoint[],
): PanelContent {
  const { t, f } = l;
  const byPeriod = new Map(demand.map((d) => [d.period, d]));
  const rows = supply.map((s) => ({
    supply: s,
    demand: byPeriod.get(s.period)?.requestedHeadcount ?? {
      value: null,
      suppressed: null,
      partial: false,
    },
  }));
  const line = (
    name: string,
    color: string,
    pick: (s: SupplyPoint) => OutcomeCount,
  ) => ({
    name,
    type: 'line' as const,
    color,
    data: supply.map((s) => pick(s).value),
    tooltip: { valueFormatter: (v: unknown) => numberOrDash(l, v) },
  });
  return {
    option: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 64, right: 32, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: supply.map((s) => f.period(s.period)) },
      yAxis: { type: 'value', axisLabel: { formatter: axisNumber(l) } },
      series: [
        {
          name: t.demand,
          type: 'bar',
          color: PALETTE.demand,
          data: rows.map((r) => r.demand.value),
          tooltip: { valueFormatter: (v) => numberOrDash(l, v) },
        },
        line(t.trained, PALETTE.trained, (s) => s.trained),
        line(t.certified, PALETTE.certified, (s) => s.certified),
        line(t.placed, PALETTE.placed, (s) => s.placed),
      ],
    },
    table: {
      head: [t.period, t.demand, t.trained, t.completed, t.certified, t.placed],
      rows: rows.map(({ supply: s, demand: d }) => [
        f.period(s.period),
        countText(l, d),
        countText(l, s.trained),
        countText(l, s.completed),
        countText(l, s.certified),
        countText(l, s.placed),
      ]),
    },
    csv: {
      fields: [
        'period',
        'start',
        ...csvCountFields('requested_headcount'),
        ...csvCountFields('trained'),
        ...csvCountFields('completed'),
        ...csvCountFields('certified'),
        ...csvCountFields('placed'),
      ],
      data: rows.map(({ supply: s, demand: d }) => [
        s.period,
        s.start,
        ...csvCount(d),
        ...csvCount(s.trained),
        ...csvCount(s.completed),
        ...csvCount(s.certified),
        ...csvCount(s.placed),
      ]),
    },
    note: t.suppressedNote,
  };
}

/** Trained → completed → certified → placed over the span. */
export function funnelContent(l: Locale, funnel: Funnel): PanelContent {
  const { t } = l;
  const stages = [
    { key: 'trained', name: t.trained, count: funnel.trained, rate: null },
    {
      key: 'completed',
      name: t.completed,
      count: funnel.completed,
      rate: funnel.completionRate,
    },
    {
      key: 'certified',
      name: t.certified,
      count: funnel.certified,
      rate: funnel.certificationRate,
    },
    {
      key: 'placed',
      name: t.placed,
      count: funnel.placed,
      rate: funnel.placementRate,
    },
  ] as const;
  return {
    option: {
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const item = p as unknown as { name: string; value: number };
          return `${item.name}: ${numberOrDash(l, item.value)}`;
        },
      },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: '5%',
          width: '60%',
          top: 16,
          bottom: 16,
          minSize: '10%',
          // Beside the shape: a narrow stage would cut a label inside it.
          label: {
            position: 'right',
            color: '#1f2937',
            formatter: (p) => {
              const item = p as unknown as { name: string; value: number };
              return `${item.name}: ${numberOrDash(l, item.value)}`;
            },
          },
          data: stages.map((s) => ({
            name: s.name,
            value: s.count.value ?? 0,
            itemStyle: { color: PALETTE[s.key] },
          })),
        },
      ],
    },
    table: {
      head: [t.stage, t.people, t.conversion],
      rows: stages.map((s) => [
        s.name,
        countText(l, s.count),
        rateText(l, s.rate),
      ]),
    },
    csv: {
      fields: ['stage', 'value', 'suppressed', 'partial', 'conversion_rate'],
      data: stages.map((s) => [s.key, ...csvCount(s.count), s.rate]),
    },
    note: t.suppressedNote,
  };
}

/**
 * Salary uplift: everyone's change, the newly employed's new salary and the
 * change of those who had a salary, each nominal and real (INPC-deflated, in
 * pesos of `pricesOf`), with the real raises of the latter.
 */
export function salaryContent(l: Locale, uplift: SalaryUplift): PanelContent {
  const { t, f } = l;
  const month = f.period(uplift.pricesOf);
  const money = (centavos: number | null) =>
    centavos === null ? t.none : f.money(centavos);
  const { newlyEmployed: newly, previouslyEmployed: previously } = uplift;
  const groups = [
    {
      key: 'all_change',
      name: t.salaryAll,
      placements: uplift.placements,
      median: uplift.medianChange,
      mean: uplift.meanChange,
      realMedian: uplift.realMedianChange,
      realMean: uplift.realMeanChange,
      raises: null,
      share: null,
    },
    {
      key: 'newly_employed_salary',
      name: t.salaryNewly,
      placements: newly.placements,
      median: newly.medianSalary,
      mean: newly.meanSalary,
      realMedian: newly.realMedianSalary,
      realMean: newly.realMeanSalary,
      raises: null,
      share: null,
    },
    {
      key: 'previously_employed_change',
      name: t.salaryPrevious,
      placements: previously.placements,
      median: previously.medianChange,
      mean: previously.meanChange,
      realMedian: previously.realMedianChange,
      realMean: previously.realMeanChange,
      raises: previously.realRaises,
      share: previously.realRaiseShare,
    },
  ];
  const bars = (
    name: string,
    color: string,
    pick: (g: (typeof groups)[number]) => number | null,
  ) => ({
    name,
    type: 'bar' as const,
    color,
    data: groups.map(pick),
    tooltip: {
      valueFormatter: (v: unknown) =>
        typeof v === 'number' ? f.money(v) : t.none,
    },
  });
  return {
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 88, right: 32, top: 40, bottom: 48 },
      xAxis: {
        type: 'category',
        data: groups.map((g) => g.name),
        axisLabel: { interval: 0, width: 150, overflow: 'break' },
      },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: (v: number) => f.wholeMoney(v) },
      },
      series: [
        bars(t.nominalMedian, PALETTE.neutral, (g) => g.median),
        bars(t.realMedian, PALETTE.placed, (g) => g.realMedian),
      ],
    },
    table: {
      head: [
        t.salaryGroup,
        t.placements,
        t.medianNominal,
        t.meanNominal,
        t.medianReal(month),
        t.meanReal(month),
        t.realRaises,
        t.realRaiseShare,
      ],
      rows: groups.map((g) => [
        g.name,
        countText(l, g.placements),
        money(g.median),
        money(g.mean),
        money(g.realMedian),
        money(g.realMean),
        g.raises ? countText(l, g.raises) : t.none,
        rateText(l, g.share),
      ]),
    },
    csv: {
      fields: [
        'group',
        ...csvCountFields('placements'),
        'median_nominal_centavos',
        'mean_nominal_centavos',
        'median_real_centavos',
        'mean_real_centavos',
        'real_prices_of',
        'deflated_with',
        ...csvCountFields('real_raises'),
        'real_raise_share',
      ],
      data: groups.map((g) => [
        g.key,
        ...csvCount(g.placements),
        g.median,
        g.mean,
        g.realMedian,
        g.realMean,
        uplift.pricesOf,
        uplift.deflatedWith ?? '',
        ...(g.raises ? csvCount(g.raises) : [null, '', null]),
        g.share,
      ]),
    },
    note: `${t.salaryNote(month, uplift.deflatedWith === 'CARRIED_FORWARD')} ${t.suppressedNote}`,
  };
}

/** Each goal's progress so far and its run-rate projection to the target. */
export function goalsContent(
  l: Locale,
  goals: readonly ProgramGoal[],
): PanelContent {
  const { t, f } = l;
  const colors = [
    PALETTE.demand,
    PALETTE.certified,
    PALETTE.trained,
    PALETTE.placed,
    PALETTE.completed,
  ];
  const series = goals.flatMap((g, i) => {
    const color = colors[i % colors.length]!;
    const pct = g.progress.percentage;
    if (pct === null) return [];
    // Progress is counted up to today or the deadline, whichever is first.
    const asOf = g.progress.asOf.slice(0, 10);
    const until = asOf < g.deadline ? asOf : g.deadline;
    return [
      {
        name: g.name,
        type: 'line' as const,
        color,
        data: [
          [g.startsOn, 0],
          [until, pct],
        ],
        tooltip: { valueFormatter: (v: unknown) => percentOf(l, v) },
      },
      ...(g.progress.projectedCompletion
        ? [
            {
              name: g.name,
              type: 'line' as const,
              color,
              lineStyle: { type: 'dashed' as const },
              data: [
                [until, pct],
                [g.progress.projectedCompletion, 100],
              ],
              tooltip: { valueFormatter: (v: unknown) => percentOf(l, v) },
            },
          ]
        : []),
      {
        name: g.name,
        type: 'scatter' as const,
        color,
        symbol: 'diamond',
        symbolSize: 12,
        data: [[g.deadline, 100]],
        tooltip: {
          formatter: () => `${g.name} — ${t.deadline}: ${f.date(g.deadline)}`,
        },
      },
    ];
  });
  return {
    option: {
      tooltip: { trigger: 'item' },
      // Goals' names are long: the legend wraps above the plot.
      legend: { top: 0, left: 0, right: 0 },
      grid: { left: 56, right: 32, top: 88, bottom: 40 },
      xAxis: {
        type: 'time',
        axisLabel: {
          formatter: (v: number) => f.date(new Date(v).toISOString()),
          hideOverlap: true,
        },
      },
      yAxis: {
        type: 'value',
        name: t.percentOfTarget,
        min: 0,
        max: 100,
      },
      series,
    },
    table: {
      head: [
        t.goal,
        t.metric,
        t.goalTarget,
        t.achieved,
        t.percentage,
        t.deadline,
        t.projectedCompletion,
        t.onTrack,
      ],
      rows: goals.map((g) => [
        g.name,
        t[g.metric],
        f.integer(g.target),
        countText(l, g.progress.achieved),
        g.progress.percentage === null
          ? t.none
          : f.percent(g.progress.percentage / 100),
        f.date(g.deadline),
        g.progress.projectedCompletion
          ? f.date(g.progress.projectedCompletion)
          : t.none,
        g.progress.onTrack === null
          ? t.none
          : g.progress.onTrack
            ? t.yes
            : t.no,
      ]),
    },
    csv: {
      fields: [
        'goal',
        'metric',
        'target',
        'starts_on',
        'deadline',
        'state',
        'sector_id',
        ...csvCountFields('achieved'),
        'percentage',
        'daily_rate',
        'projected_completion',
        'on_track',
        'as_of',
      ],
      data: goals.map((g) => [
        g.name,
        g.metric,
        g.target,
        g.startsOn,
        g.deadline,
        g.state ?? '',
        g.sectorId ?? '',
        ...csvCount(g.progress.achieved),
        g.progress.percentage,
        g.progress.dailyRate,
        g.progress.projectedCompletion ?? '',
        g.progress.onTrack,
        g.progress.asOf,
      ]),
    },
    note: t.suppressedNote,
  };
}

/** Published standards with their accredited certifying bodies. */
export function certifyContent(
  l: Locale,
  standards: readonly CertifierStandard[],
  stateName: (code: string) => string,
): PanelContent {
  const { t, f } = l;
  const ranked = standards
    .filter((s) => s.certifyingBodies.length > 0)
    .sort(
      (a, b) =>
        b.certifyingBodies.length - a.certifyingBodies.length ||
        a.code.localeCompare(b.code),
    );
  const pairs = ranked.flatMap((s) =>
    s.certifyingBodies.map((b) => ({ standard: s, offer: b })),
  );
  return {
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 96, right: 32, top: 16, bottom: 32 },
      xAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { formatter: axisNumber(l) },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: ranked.map((s) => s.code),
      },
      series: [
        {
          name: t.certifierCount,
          type: 'bar',
          color: PALETTE.certified,
          data: ranked.map((s) => s.certifyingBodies.length),
          tooltip: { valueFormatter: (v) => numberOrDash(l, v) },
        },
      ],
    },
    table: {
      head: [t.standard, t.certifiers, t.states, t.fee],
      rows: pairs.map(({ standard, offer }) => [
        `${standard.code} — ${standard.title}`,
        offer.certifyingBody.name,
        offer.states.map(stateName).join(', '),
        offer.feeCentavos === null ? t.noFee : f.money(offer.feeCentavos),
      ]),
    },
    csv: {
      fields: [
        'standard_code',
        'standard_title',
        'certifying_body',
        'states',
        'fee_centavos',
      ],
      data: pairs.map(({ standard, offer }) => [
        standard.code,
        standard.title,
        offer.certifyingBody.name,
        offer.states.join(' '),
        offer.feeCentavos,
      ]),
    },
  };
}

function numberOrDash({ t, f }: Locale, value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value)
    ? f.integer(value)
    : t.none;
}

function percentOf({ t, f }: Locale, value: unknown): string {
  const pct = Array.isArray(value) ? value[1] : value;
  return typeof pct === 'number' ? f.percent(pct / 100) : t.none;
}
