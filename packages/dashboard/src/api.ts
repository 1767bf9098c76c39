import {
  CERTIFIERS,
  FILTER_OPTIONS,
  GOALS,
  OVERVIEW,
  SALARY,
  stateTotalsQuery,
  type CertifierStandard,
  type CertifiersData,
  type FilterOptionsData,
  type GoalsData,
  type OutcomeCount,
  type OutcomeFilter,
  type OverviewData,
  type SalaryData,
  type StateTotalsData,
} from './queries';

/** A refusal or error answered by the gateway, with its `extensions.code`. */
export class GraphError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

// The gateway allows 15 aliases per operation; two per state.
const STATES_PER_REQUEST = 7;
// Skill gaps ranked on the chart.
const GAP_RANKING = 15;

/**
 * Sends operations to the gateway's /graphql (same origin) with a bearer
 * token, in the page's language: `Accept-Language` is the UI's locale
 * (`es-MX` or `en-US`), so the API's error messages, shown as they come,
 * match the labels around them. Default language: `es-MX`.
 */
export function createGraphClient(
  endpoint: string,
  token: () => string,
  language: () => string = () => 'es-MX',
) {
  async function send<T>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const bearer = token();
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept-language': language(),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const error = body.errors?.[0];
    if (error) throw new GraphError(error.message, error.extensions?.code);
    if (!response.ok || !body.data)
      throw new GraphError(`HTTP ${response.status}`, undefined);
    return body.data;
  }

  return {
    filterOptions: () => send<FilterOptionsData>(FILTER_OPTIONS),
    overview: (filter: OutcomeFilter) =>
      send<OverviewData>(OVERVIEW, {
        filter,
        gaps: GAP_RANKING,
        state: filter.state ?? null,
        sectorId: filter.sectorId ?? null,
      }),
    goals: () => send<GoalsData>(GOALS),
    salary: (filter: OutcomeFilter) => send<SalaryData>(SALARY, { filter }),

    /** Requested headcount and people trained per state, over the filter's span by year. */
    async stateTotals(
      filter: OutcomeFilter,
      states: readonly string[],
    ): Promise<Map<string, { demand: OutcomeCount; trained: OutcomeCount }>> {
      const chunks: string[][] = [];
      for (let i = 0; i < states.length; i += STATES_PER_REQUEST)
        chunks.push(states.slice(i, i + STATES_PER_REQUEST));
      const answers = await Promise.all(
        chunks.map((chunk) =>
          send<StateTotalsData>(
            stateTotalsQuery(chunk.length),
            Object.fromEntries(
              // Years: the coarsest grid withholds the fewest cells.
              chunk.map((state, i) => [
                `f${i}`,
                { ...filter, granularity: 'YEAR', state },
              ]),
            ),
          ).then((data) =>
            chunk.map((state, i) => {
              const years = data[`d${i}`] as {
                requestedHeadcount: OutcomeCount;
              }[];
              const funnel = data[`t${i}`] as { trained: OutcomeCount };
              return [
                state,
                {
                  demand: sumShown(years.map((y) => y.requestedHeadcount)),
                  trained: funnel.trained,
                },
              ] as const;
            }),
          ),
        ),
      );
      return new Map(answers.flat());
    },

    /** Every published standard (of the sector) with its certifiers (in the state). */
    async certifiers(filter: OutcomeFilter): Promise<CertifierStandard[]> {
      const standards: CertifierStandard[] = [];
      let after: string | null = null;
      do {
        const page: CertifiersData = await send<CertifiersData>(CERTIFIERS, {
          filter: {
            status: 'PUBLISHED',
            ...(filter.sectorId ? { sectorId: filter.sectorId } : {}),
          },
          state: filter.state ?? null,
          after,
        });
        standards.push(...page.standards.nodes);
        after = page.standards.pageInfo.hasNextPage
          ? page.standards.pageInfo.endCursor
          : null;
      } while (after);
      return standards;
    },
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;

/**
 * The sum of the values shown, as outcomes sums its own totals: withheld
 * cells add nothing and make the total partial (a lower bound).
 */
export function sumShown(counts: readonly OutcomeCount[]): OutcomeCount {
  const withheld = counts.some((c) => c.value === null);
  return {
    value: counts.reduce((sum, c) => sum + (c.value ?? 0), 0),
    suppressed: null,
    partial: withheld || counts.some((c) => c.partial),
  };
}
