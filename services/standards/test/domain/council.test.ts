import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ConfigError, loadConfig } from '@conecta/service-kit';
import {
  COUNCIL_COMPOSITIONS,
  COUNCIL_SIDES,
  assertSeatInComposition,
  councilCompositionSchema,
  decide,
  seatsOf,
  sideOf,
  type CouncilComposition,
  type CouncilSeat,
  type CouncilVoteChoice,
} from '../../src/domain/council';
import { standardsConfig } from '../../src/env';
import { councilMother } from '../fixtures/mothers';

const caseStudy = councilMother.caseStudy();
const equalSplit = councilMother.equalSplit();

const seatsPerSide = (composition: CouncilComposition) =>
  Object.fromEntries(
    COUNCIL_SIDES.map((side) => [
      side,
      seatsOf(composition).filter((s) => sideOf(s, composition) === side)
        .length,
    ]),
  );

describe('the council composition', () => {
  it('is by default the case study: the Secretary of Education chairs, with 6 government, 3 employer and 3 labor seats', () => {
    expect(caseStudy.chair).toEqual({
      title: 'Secretary of Education',
      side: 'GOVERNMENT',
    });
    expect(seatsOf(caseStudy)).toHaveLength(13);
    expect(seatsOf(caseStudy)[0]).toBe('CHAIR');
    // The chair is a government seat, on top of the six.
    expect(seatsPerSide(caseStudy)).toEqual({
      GOVERNMENT: 7,
      EMPLOYER: 3,
      LABOR: 3,
    });
    expect(caseStudy.quorum).toBe(7);
  });

  it('can be the equal split: as many seats for each side, the chair one of the government’s', () => {
    expect(seatsPerSide(equalSplit)).toEqual({
      GOVERNMENT: 3,
      EMPLOYER: 3,
      LABOR: 3,
    });
    expect(equalSplit.quorum).toBe(5);
  });

  it.each(Object.values(COUNCIL_COMPOSITIONS))(
    '$name passes its own validation',
    (composition) => {
      expect(councilCompositionSchema.safeParse(composition).success).toBe(
        true,
      );
    },
  );

  it.each([
    ['a quorum below a majority of the seats', { quorum: 6 }, 'quorum'],
    ['a quorum above the seats', { quorum: 14 }, 'quorum'],
    [
      'more employer seats than the API has',
      { members: { GOVERNMENT: 6, EMPLOYER: 4, LABOR: 3 } },
      'members.EMPLOYER',
    ],
    [
      'a side without seats',
      { members: { GOVERNMENT: 6, EMPLOYER: 3, LABOR: 0 } },
      'members.LABOR',
    ],
  ])('refuses %s', (_name, change, path) => {
    const result = councilCompositionSchema.safeParse({
      ...caseStudy,
      ...change,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it.each([
    ['case-study', 'EMPLOYER_3', true],
    ['case-study', 'GOVERNMENT_6', true],
    ['case-study', 'CHAIR', true],
    ['equal-split', 'GOVERNMENT_2', true],
    ['equal-split', 'GOVERNMENT_3', false],
    ['equal-split', 'GOVERNMENT_6', false],
  ] as const)(
    '%s: seat %s is on the council: %s (beyond a side’s seats: SEAT_NOT_IN_COMPOSITION on `seat`)',
    (name, seat, allowed) => {
      const check = () =>
        assertSeatInComposition(seat, COUNCIL_COMPOSITIONS[name]);
      if (allowed) expect(check).not.toThrow();
      else
        expect(check).toThrow(
          expect.objectContaining({
            code: 'SEAT_NOT_IN_COMPOSITION',
            field: 'seat',
          }),
        );
    },
  );
});

describe('COUNCIL_COMPOSITION', () => {
  const base = {
    SERVICE_NAME: 'standards',
    PORT: '4002',
    MONGODB_URI: 'mongodb://127.0.0.1:27017/conecta_standards',
    KAFKA_BROKERS: '127.0.0.1:9092',
    IDENTITY_SECRET: randomBytes(32).toString('hex'),
  };

  it('defaults to the case study and accepts the equal split', () => {
    expect(loadConfig(standardsConfig, base).COUNCIL_COMPOSITION).toEqual(
      caseStudy,
    );
    expect(
      loadConfig(standardsConfig, {
        ...base,
        COUNCIL_COMPOSITION: 'equal-split',
      }).COUNCIL_COMPOSITION,
    ).toEqual(equalSplit);
  });

  it('stops the start on an unknown composition, naming the variable', () => {
    let error: unknown;
    try {
      loadConfig(standardsConfig, {
        ...base,
        COUNCIL_COMPOSITION: 'two-sides',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      {
        variable: 'COUNCIL_COMPOSITION',
        problem: 'must be one of case-study, equal-split',
      },
    ]);
  });
});

describe('deciding a vote', () => {
  const votes = (...cast: [CouncilSeat, CouncilVoteChoice][]) =>
    cast.map(([seat, choice]) => councilMother.vote(seat, choice));
  /** Six seats, two of each side and not the chair: three for, three against. */
  const tied = votes(
    ['GOVERNMENT_1', 'IN_FAVOR'],
    ['EMPLOYER_1', 'IN_FAVOR'],
    ['LABOR_1', 'IN_FAVOR'],
    ['GOVERNMENT_2', 'AGAINST'],
    ['EMPLOYER_2', 'AGAINST'],
    ['LABOR_2', 'AGAINST'],
  );

  it.each([
    {
      name: 'a tie: the chair in favour carries it (casting vote)',
      cast: votes(
        ['CHAIR', 'IN_FAVOR'],
        ['GOVERNMENT_1', 'IN_FAVOR'],
        ['EMPLOYER_1', 'IN_FAVOR'],
        ['GOVERNMENT_2', 'AGAINST'],
        ['EMPLOYER_2', 'AGAINST'],
        ['LABOR_1', 'AGAINST'],
        ['LABOR_2', 'ABSTAIN'],
      ),
      expected: { approved: true, castingVote: true, inFavor: 3, against: 3 },
    },
    {
      name: 'the chair’s vote counts like any other when there is no tie',
      cast: [...tied, councilMother.vote('CHAIR', 'IN_FAVOR')],
      expected: { approved: true, castingVote: false, inFavor: 4, against: 3 },
    },
    {
      name: 'a tie the chair abstained in rejects',
      cast: [...tied, councilMother.vote('CHAIR', 'ABSTAIN')],
      expected: { approved: false, castingVote: false, inFavor: 3, against: 3 },
    },
    {
      name: 'a tie without the chair’s vote rejects',
      cast: [...tied, councilMother.vote('GOVERNMENT_3', 'ABSTAIN')],
      expected: { approved: false, castingVote: false, inFavor: 3, against: 3 },
    },
    {
      name: 'a majority in favour approves whatever the chair votes',
      cast: votes(
        ['CHAIR', 'AGAINST'],
        ['GOVERNMENT_1', 'IN_FAVOR'],
        ['EMPLOYER_1', 'IN_FAVOR'],
        ['LABOR_1', 'IN_FAVOR'],
        ['LABOR_2', 'ABSTAIN'],
        ['LABOR_3', 'ABSTAIN'],
        ['EMPLOYER_2', 'ABSTAIN'],
      ),
      expected: { approved: true, castingVote: false, inFavor: 3, against: 1 },
    },
  ])('$name', ({ cast, expected }) => {
    const { approved, castingVote, tally } = decide(cast, caseStudy);
    expect({
      approved,
      castingVote,
      inFavor: tally.inFavor,
      against: tally.against,
    }).toEqual(expected);
  });

  it('lets the chair cast the deciding vote against a tie', () => {
    const cast = [
      ...tied.slice(0, 5),
      councilMother.vote('GOVERNMENT_3', 'ABSTAIN'),
      councilMother.vote('CHAIR', 'AGAINST'),
    ];
    // 3 in favour, 2 against + the chair against: a tie the chair made and decides.
    expect(decide(cast, caseStudy)).toMatchObject({
      approved: false,
      castingVote: true,
      tally: { inFavor: 3, against: 3, abstentions: 1 },
    });
  });

  it.each([
    ['six votes, one short of the quorum of 7', tied],
    [
      'seven votes, but no labor vote',
      votes(
        ['CHAIR', 'IN_FAVOR'],
        ['GOVERNMENT_1', 'IN_FAVOR'],
        ['GOVERNMENT_2', 'IN_FAVOR'],
        ['GOVERNMENT_3', 'IN_FAVOR'],
        ['GOVERNMENT_4', 'IN_FAVOR'],
        ['EMPLOYER_1', 'IN_FAVOR'],
        ['EMPLOYER_2', 'IN_FAVOR'],
      ),
    ],
  ])('refuses to decide %s with COUNCIL_QUORUM_NOT_MET', (_name, cast) => {
    expect(() => decide(cast, caseStudy)).toThrow(
      expect.objectContaining({ code: 'COUNCIL_QUORUM_NOT_MET' }),
    );
  });

  it('counts the chair for the government side and for the quorum', () => {
    // Equal split, quorum 5: the chair is the only government vote.
    const cast = votes(
      ['CHAIR', 'IN_FAVOR'],
      ['EMPLOYER_1', 'IN_FAVOR'],
      ['EMPLOYER_2', 'AGAINST'],
      ['LABOR_1', 'IN_FAVOR'],
      ['LABOR_2', 'ABSTAIN'],
    );
    expect(decide(cast, equalSplit)).toMatchObject({ approved: true });
  });

  it('never decides without the quorum, and never approves with more votes against', () => {
    const choice = fc.constantFrom<CouncilVoteChoice>(
      'IN_FAVOR',
      'AGAINST',
      'ABSTAIN',
    );
    fc.assert(
      fc.property(
        fc.constantFrom(caseStudy, equalSplit),
        fc.infiniteStream(choice),
        fc.nat(),
        fc.nat(),
        (composition, choices, seed, count) => {
          const seats = seatsOf(composition);
          // A random subset: rotate the seats by `seed` and take `count` of them.
          const n = count % (seats.length + 1);
          const chosen = [...seats.slice(seed % seats.length), ...seats]
            .slice(0, seats.length)
            .slice(0, n);
          const cast = chosen.map((seat) =>
            councilMother.vote(seat, choices.next().value as CouncilVoteChoice),
          );
          const everySide = COUNCIL_SIDES.every((side) =>
            chosen.some((s) => sideOf(s, composition) === side),
          );
          if (cast.length < composition.quorum || !everySide) {
            expect(() => decide(cast, composition)).toThrow(
              expect.objectContaining({ code: 'COUNCIL_QUORUM_NOT_MET' }),
            );
            return;
          }
          const { approved, tally } = decide(cast, composition);
          if (tally.against > tally.inFavor) expect(approved).toBe(false);
          if (tally.inFavor > tally.against) expect(approved).toBe(true);
        },
      ),
    );
  });
});
