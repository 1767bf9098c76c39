import { loadConfig } from '@conecta/service-kit';
import {
  startSubgraph,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import type { CouncilSeat } from '../../src/domain/council';
import { standardsConfig } from '../../src/env';
import {
  createStandardsService,
  type StandardsService,
} from '../../src/server';
import {
  admin,
  holderOf,
  lifecycle,
  reviewer,
  standardMutations,
} from '../fixtures/api';
import { councilMother } from '../fixtures/mothers';

// The service configured with the equal split (COUNCIL_COMPOSITION=equal-split):
// the chair and two more government seats, three employer, three labor; quorum 5.

const FIELDS = `id status councilTally { inFavor against abstentions decidedByCastingVote }`;
const { VOTE, CLOSE_VOTE, APPOINT } = standardMutations(FIELDS);
const ROSTER = `{ councilSeats { seat holderId inComposition } }`;

let infra: IsolatedInfra;
let service: StandardsService;
let client: TestClient;

const council = councilMother.equalSplit();
const { installedCommittee, inCouncilVote, appointCouncil } = lifecycle(
  () => ({ service, client }),
  FIELDS,
  council,
);

beforeAll(async () => {
  ({ infra, service, client } = await startSubgraph({
    name: 'standards',
    label: 'standards-council',
    config: (env) =>
      loadConfig(standardsConfig, {
        ...env,
        COUNCIL_COMPOSITION: 'equal-split',
      }),
    create: createStandardsService,
  }));
});

afterAll(async () => {
  await service?.stop();
  await infra?.cleanup();
});

describe('an equal-split council', () => {
  it('publishes its composition to anyone: the chair first, three seats per side, quorum 5', async () => {
    const { councilComposition } = await client.ok(
      `{ councilComposition { name chairTitle quorum seats { seat side } } }`,
      {},
      {},
    );
    expect(councilComposition).toMatchObject({
      name: 'equal-split',
      chairTitle: 'Secretary of Education',
      quorum: 5,
    });
    const seats = councilComposition.seats as { seat: string; side: string }[];
    expect(seats[0]).toEqual({ seat: 'CHAIR', side: 'GOVERNMENT' });
    for (const side of ['GOVERNMENT', 'EMPLOYER', 'LABOR'])
      expect(seats.filter((s) => s.side === side)).toHaveLength(3);
  });

  it('appoints the chair and refuses a seat beyond a side’s seats, writing nothing', async () => {
    const chair = await client.ok(
      APPOINT,
      { seat: 'CHAIR', holderId: holderOf('CHAIR').subject },
      admin,
    );
    expect(chair.appointCouncilSeat).toMatchObject({
      seat: 'CHAIR',
      holderId: holderOf('CHAIR').subject,
    });
    const beyond = await client.request(
      APPOINT,
      { seat: 'GOVERNMENT_3', holderId: 'someone-else' },
      admin,
    );
    expect(beyond.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'SEAT_NOT_IN_COMPOSITION',
      field: 'seat',
    });
    const { councilSeats } = await client.ok(ROSTER, {}, admin);
    expect(councilSeats).toEqual([
      {
        seat: 'CHAIR',
        holderId: holderOf('CHAIR').subject,
        inComposition: true,
      },
    ]);
  });

  it('decides a tie by the chair’s casting vote once the quorum voted', async () => {
    await appointCouncil();
    const id = await inCouncilVote(await installedCommittee());
    const cast: [CouncilSeat, string][] = [
      ['CHAIR', 'AGAINST'],
      ['EMPLOYER_1', 'IN_FAVOR'],
      ['LABOR_1', 'IN_FAVOR'],
      ['EMPLOYER_2', 'AGAINST'],
    ];
    for (const [seat, vote] of cast)
      await client.ok(VOTE, { id, seat, vote }, holderOf(seat));
    // Four votes: one short of the quorum.
    const early = await client.request(CLOSE_VOTE, { id }, reviewer);
    expect(early.errors?.[0]?.extensions?.reason).toBe(
      'COUNCIL_QUORUM_NOT_MET',
    );
    await client.ok(
      VOTE,
      { id, seat: 'GOVERNMENT_1', vote: 'ABSTAIN' },
      holderOf('GOVERNMENT_1'),
    );
    const { closeCouncilVote } = await client.ok(CLOSE_VOTE, { id }, reviewer);
    expect(closeCouncilVote).toEqual({
      id,
      status: 'REJECTED',
      councilTally: {
        inFavor: 2,
        against: 2,
        abstentions: 1,
        decidedByCastingVote: true,
      },
    });
  });

  it('keeps a holder of a seat the composition dropped on the roster, without a vote', async () => {
    // Appointed under a larger council (the case study's GOVERNMENT_6).
    await service.stores.councilSeats.model.collection.insertOne({
      _id: 'GOVERNMENT_6' as never,
      holderId: holderOf('GOVERNMENT_6').subject,
      appointedAt: new Date('2025-01-10T00:00:00.000Z'),
      appointedBy: 'admin-1',
    });
    const { councilSeats } = await client.ok(ROSTER, {}, admin);
    expect(councilSeats).toContainEqual({
      seat: 'GOVERNMENT_6',
      holderId: holderOf('GOVERNMENT_6').subject,
      inComposition: false,
    });
    const id = await inCouncilVote(await installedCommittee());
    const refused = await client.request(
      VOTE,
      { id, seat: 'GOVERNMENT_6', vote: 'IN_FAVOR' },
      holderOf('GOVERNMENT_6'),
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'SEAT_NOT_IN_COMPOSITION',
      field: 'seat',
    });
    const { standard } = await client.ok(
      `query ($id: ID!) { standard(id: $id) { councilVotes { seat } } }`,
      { id },
      admin,
    );
    expect(standard.councilVotes).toEqual([]);
  });
});
