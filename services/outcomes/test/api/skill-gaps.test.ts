import { v7 as uuidv7 } from 'uuid';
import { commandsBetween, requestCommandsAt } from '@conecta/test-kit';
import { eventMother as events, placementMother } from '../fixtures/mothers';
import {
  admin,
  startOutcomes,
  university,
  type RunningOutcomes,
} from '../fixtures/service';

let running: RunningOutcomes;

// Two sectors: IT services (two standards, one unused, and an AWS credential
// aligned with the first) and automotive; a Cisco credential aligned with none.
const itSector = uuidv7();
const autoSector = uuidv7();
const ecIt = events.standardPublished(
  'EC1331',
  '2023-04-01T12:00:00Z',
  itSector,
);
const ecItIdle = events.standardPublished(
  'EC1332',
  '2023-04-01T12:00:00Z',
  itSector,
);
const ecAuto = events.standardPublished(
  'EC0991',
  '2023-04-01T12:00:00Z',
  autoSector,
);
const aws = events.credentialRegistered(ecIt.data.id);
const ccna = events.credentialRegistered();
const IT = { standardId: ecIt.data.id };
const AWS = { credentialId: aws.data.id };
const CCNA = { credentialId: ccna.data.id };
const AUTO = { standardId: ecAuto.data.id };

const cohortItJal = events.cohortScheduled(IT, { state: 'MX-JAL' });
const cohortAws = events.cohortScheduled(AWS, { state: null });
const cohortCcna = events.cohortScheduled(CCNA, { state: null });
const cohortAuto = events.cohortScheduled(AUTO, { state: 'MX-PUE' });
// Where the IT certificates were evaluated: a university with facilities in Jalisco only.
const jaliscoBody = events.bodyRegistered(['MX-JAL']);

const times = <T>(n: number, make: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => make(i));

const FILTER = { from: '2025-01-01', to: '2025-12-31', granularity: 'YEAR' };

beforeAll(async () => {
  running = await startOutcomes('outcomes-skill-gaps');
  const itEnrollments = times(10, () =>
    events.enrolled(cohortItJal.data.id, ecIt.data.id, '2025-03-03T15:00:00Z'),
  );
  await running.publish(
    ecIt,
    ecItIdle,
    ecAuto,
    aws,
    ccna,
    cohortItJal,
    cohortAws,
    cohortCcna,
    cohortAuto,
    jaliscoBody,
    events.demandRequested('2025-02-01T12:00:00Z', 100, {
      ...IT,
      state: 'MX-JAL',
    }),
    events.demandRequested('2025-02-01T12:00:00Z', 40, {
      ...IT,
      state: 'MX-NLE',
    }),
    events.demandRequested('2025-02-01T12:00:00Z', 60, {
      ...AWS,
      state: 'MX-JAL',
    }),
    events.demandRequested('2025-02-01T12:00:00Z', 30, {
      ...CCNA,
      state: 'MX-JAL',
    }),
    events.demandRequested('2025-02-01T12:00:00Z', 50, {
      ...AUTO,
      state: 'MX-PUE',
    }),
    // Demand of another year is outside the span.
    events.demandRequested('2024-02-01T12:00:00Z', 500, {
      ...AUTO,
      state: 'MX-PUE',
    }),
    ...itEnrollments,
    ...itEnrollments
      .slice(0, 7)
      .map((e) => events.completed(e, '2025-04-30T18:00:00Z')),
    ...times(6, () =>
      events.enrolled(cohortAws.data.id, AWS, '2025-03-03T15:00:00Z'),
    ),
    ...times(3, () =>
      events.enrolled(cohortCcna.data.id, CCNA, '2025-03-03T15:00:00Z'),
    ),
    ...times(8, () =>
      events.enrolled(
        cohortAuto.data.id,
        ecAuto.data.id,
        '2025-03-03T15:00:00Z',
      ),
    ),
    ...times(12, () =>
      events.certificateIssued(ecIt.data.id, '2025-05-10T12:00:00Z', uuidv7(), {
        certifyingBodyId: jaliscoBody.data.id,
      }),
    ),
    ...times(5, () =>
      events.certificateIssued(ecAuto.data.id, '2025-05-10T12:00:00Z'),
    ),
  );
  for (const [sectorId, salaryAfter, n] of [
    [itSector, 2_500_000, 6],
    [autoSector, 1_800_000, 5],
  ] as const)
    for (let i = 0; i < n; i += 1)
      await running.client.ok(
        `mutation ($input: RecordPlacementInput!) { recordPlacement(input: $input) { id } }`,
        {
          input: placementMother.developer({
            sectorId,
            startDate: '2025-06-01',
            salaryBefore: 1_200_000,
            salaryAfter: salaryAfter + i * 100_000,
          }),
        },
        admin,
      );
  await running.caughtUp();
});

afterAll(() => running?.stop());

const GAPS = /* GraphQL */ `
  query ($filter: OutcomeFilter!, $first: Int) {
    skillGaps(filter: $filter, first: $first) {
      standard {
        id
      }
      credential {
        id
      }
      demand {
        value
        suppressed
      }
      trained {
        value
        suppressed
      }
      certified {
        value
        suppressed
      }
      supply {
        value
        suppressed
        partial
      }
      gap
    }
  }
`;

/** [target id, demand, supply, gap] per row. */
const summary = (gaps: any[]) =>
  gaps.map((g) => [
    g.standard?.id ?? g.credential?.id,
    g.demand.value,
    g.supply.value,
    g.gap,
  ]);

describe('skillGaps', () => {
  it('ranks demand minus trained and certified supply per target over the span, largest gap first', async () => {
    const { skillGaps } = await running.client.ok(
      GAPS,
      { filter: FILTER },
      admin,
    );
    expect(summary(skillGaps)).toEqual([
      [ecIt.data.id, 140, 22, 118],
      [aws.data.id, 60, 6, 54],
      [ecAuto.data.id, 50, 13, 37],
      [ccna.data.id, 30, 3, 27],
    ]);
    expect(skillGaps[0]).toMatchObject({
      standard: { id: ecIt.data.id },
      credential: null,
      trained: { value: 10 },
      certified: { value: 12 },
    });
    // Certificates are issued against standards only.
    expect(skillGaps[1].certified.suppressed).toBe('NOT_RECORDED');
  });

  it("for a state: the state's demand against the training held and the certificates evaluated there", async () => {
    const { skillGaps } = await running.client.ok(
      GAPS,
      { filter: { ...FILTER, state: 'MX-JAL' } },
      admin,
    );
    expect(summary(skillGaps)).toEqual([
      // 10 trained in Jalisco and 12 others certified there: 22 people.
      [ecIt.data.id, 100, 22, 78],
      // Its cohort was online: trained in no state.
      [aws.data.id, 60, 0, 60],
      [ccna.data.id, 30, 0, 30],
    ]);
    expect(skillGaps[0].certified).toEqual({ value: 12, suppressed: null });
  });

  it('for a sector: its standards, and the credentials aligned with them', async () => {
    const { skillGaps } = await running.client.ok(
      GAPS,
      { filter: { ...FILTER, sectorId: itSector }, first: 1 },
      admin,
    );
    expect(summary(skillGaps)).toEqual([[ecIt.data.id, 140, 22, 118]]);
    const all = await running.client.ok(
      GAPS,
      { filter: { ...FILTER, sectorId: itSector } },
      admin,
    );
    expect(summary(all.skillGaps).map(([id]) => id)).toEqual([
      ecIt.data.id,
      aws.data.id,
    ]);
  });

  it('shows universities rounded totals, a partial supply and no gap where a part is withheld, and ranks those last', async () => {
    const { skillGaps } = await running.client.ok(
      GAPS,
      { filter: FILTER },
      university,
    );
    // Counts to the nearest 5: 10 trained + 12 certified → 10 + 10; 6 → 5; 13 → 15.
    expect(summary(skillGaps)).toEqual([
      [ecIt.data.id, 140, 20, 120],
      [aws.data.id, 60, 5, 55],
      [ecAuto.data.id, 50, 15, 35],
      [ccna.data.id, 30, 0, null],
    ]);
    // CCNA's 3 trained are withheld: its total is the 0 shown, partial.
    expect(skillGaps[3].trained).toEqual({ value: 0, suppressed: null });
    expect(skillGaps[3].supply).toEqual({
      value: 0,
      suppressed: null,
      partial: true,
    });
  });

  it('reads the people once when supply and skillGaps are asked together, as the dashboard does', async () => {
    const SUPPLY = `supply(filter: $filter) { period trained { value } }`;
    const GAPS_ONLY = `skillGaps(filter: $filter) { gap }`;
    const finds = async (fields: string) => {
      const before = await requestCommandsAt(running.operatorUrl);
      await running.client.ok(
        `query ($filter: OutcomeFilter!) { ${fields} }`,
        { filter: FILTER },
        admin,
      );
      return (
        commandsBetween(before, await requestCommandsAt(running.operatorUrl))
          .find ?? 0
      );
    };
    const supply = await finds(SUPPLY);
    const gaps = await finds(GAPS_ONLY);
    // Shared within a request: the catalog (four small collections) and the
    // people active over the span (one find).
    expect(supply + gaps - (await finds(`${SUPPLY} ${GAPS_ONLY}`))).toBe(5);
  });

  it('refuses first outside 1–500', async () => {
    const response = await running.client.request(
      GAPS,
      { filter: FILTER, first: 0 },
      university,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('the sector filter', () => {
  it('narrows demand trends to the standards of the sector and the credentials aligned with them', async () => {
    const { demandTrends } = await running.client.ok(
      /* GraphQL */ `
        query ($filter: OutcomeFilter!) {
          demandTrends(filter: $filter) {
            period
            requestedHeadcount {
              value
            }
            requests {
              value
            }
          }
        }
      `,
      { filter: { ...FILTER, sectorId: itSector } },
      admin,
    );
    expect(demandTrends).toEqual([
      {
        period: '2025',
        requestedHeadcount: { value: 200 },
        requests: { value: 3 },
      },
    ]);
  });

  it('narrows supply and the funnel: enrollments by target, completions by cohort, certificates by standard, placements by job', async () => {
    const result = await running.client.ok(
      /* GraphQL */ `
        query ($filter: OutcomeFilter!) {
          supply(filter: $filter) {
            trained {
              value
            }
            completed {
              value
            }
            certified {
              value
            }
            placed {
              value
            }
          }
          funnel(filter: $filter) {
            trained {
              value
            }
            completed {
              value
            }
            certified {
              value
            }
            placed {
              value
            }
            placementRate
          }
        }
      `,
      { filter: { ...FILTER, sectorId: itSector } },
      admin,
    );
    const totals = {
      trained: { value: 16 },
      completed: { value: 7 },
      certified: { value: 12 },
      placed: { value: 6 },
    };
    expect(result.supply).toEqual([totals]);
    // The funnel follows the 16 people trained for the sector's targets (EC0217
    // and the AWS credential aligned with it): 7 completed, none certified
    // (the certificates are other people's), so none placed.
    expect(result.funnel).toEqual({
      trained: { value: 16 },
      completed: { value: 7 },
      certified: { value: 0 },
      placed: { value: 0 },
      placementRate: null,
    });
  });

  it("narrows standard usage to the sector's published standards", async () => {
    const { standardUsage } = await running.client.ok(
      /* GraphQL */ `
        query ($sectorId: ID) {
          standardUsage(asOf: "2025-12-31T00:00:00.000Z", sectorId: $sectorId) {
            publishedStandards
            usedStandards
            unused {
              id
            }
          }
        }
      `,
      { sectorId: itSector },
      university,
    );
    expect(standardUsage).toEqual({
      publishedStandards: 2,
      usedStandards: 1,
      unused: [{ id: ecItIdle.data.id }],
    });
  });

  it("narrows salary uplift to placements in the sector's jobs", async () => {
    const SALARY = /* GraphQL */ `
      query ($filter: OutcomeFilter!) {
        salaryUplift(filter: $filter) {
          placements {
            value
            suppressed
          }
          medianChange
        }
      }
    `;
    const itJobs = await running.client.ok(
      SALARY,
      { filter: { ...FILTER, sectorId: itSector } },
      university,
    );
    // Changes 1_300_000 … 1_800_000 centavos: the median is the mean of the middle
    // two (a multiple of 500 MXN already); 6 placements are shown as 5.
    expect(itJobs.salaryUplift).toEqual({
      placements: { value: 5, suppressed: null },
      medianChange: 1_550_000,
    });
    const auto = await running.client.ok(
      SALARY,
      { filter: { ...FILTER, sectorId: autoSector, state: 'MX-JAL' } },
      university,
    );
    expect(auto.salaryUplift.placements.value).toBe(5);
  });
});
