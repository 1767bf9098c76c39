import { v7 as uuidv7 } from 'uuid';
import { readEvents } from '@conecta/test-kit';
import { futureDay, historyMother as history } from '../fixtures/mothers';
import {
  GQL,
  actingFor,
  admin,
  broker,
  inputMother as input,
  seedWorld,
  startTraining,
  type RunningTraining,
  type World,
} from '../fixtures/service';

// Issue 13, item 5: a demand request has a natural key (requester, target,
// state, city, headcount, needed-by day); a second live request with it is
// refused with CONFLICT naming the first, by a unique index.

let running: RunningTraining;
let world: World;
const client = () => running.client;

beforeAll(async () => {
  running = await startTraining('training-natural-key');
  world = await seedWorld(running, 0);
});

afterAll(() => running?.stop());

const ask = (body: object, as = actingFor(world.clusterId)) =>
  client().request(GQL.request, { input: body }, as);

const CANCEL = /* GraphQL */ `
  mutation ($input: CancelDemandRequestInput!) {
    cancelDemandRequest(input: $input) {
      status
    }
  }
`;

const stored = (filter: object) =>
  running.service.stores.demands.collection.countDocuments(filter);

describe('the natural key of a demand request', () => {
  it('refuses the same request filed twice, naming the first, however the city is typed', async () => {
    const body = input.demand(world, { city: 'Tlaquepaque' });
    const first = (await ask(body)).data?.requestTraining;
    expect(first?.status).toBe('OPEN');
    for (const city of ['Tlaquepaque', '  TLAQUEPAQUE ', 'tláquepaque']) {
      const again = await ask({ ...body, city });
      expect(again.data).toBeNull();
      expect(again.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'DEMAND_ALREADY_REQUESTED',
        field: 'input',
        existingId: first.id,
      });
      expect(again.errors?.[0]?.message).toContain(first.id);
    }
    // A broker filing it for the organization is the same request too.
    const byBroker = await ask(
      { ...body, requesterId: world.clusterId },
      broker,
    );
    expect(byBroker.errors?.[0]?.extensions?.existingId).toBe(first.id);
    expect(await stored({ city: 'Tlaquepaque' })).toBe(1);
  });

  it('takes requests that differ in headcount, day, city or requester', async () => {
    const body = input.demand(world, { city: 'Zapopan' });
    const variants = [
      body,
      { ...body, headcount: 21 },
      { ...body, neededBy: futureDay(301) },
      { ...body, city: 'Tonalá' },
    ];
    for (const variant of variants)
      expect((await ask(variant)).errors).toBeUndefined();
    const other = await ask(
      { ...body, state: 'MX-NLE', city: 'Zapopan' },
      actingFor(world.governmentId),
    );
    expect(other.errors).toBeUndefined();
  });

  it('lets exactly one of ten identical concurrent requests through, the rest naming it', async () => {
    const body = input.demand(world, { city: 'El Salto', headcount: 33 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => ask(body)),
    );
    const created = answers.filter((a) => !a.errors);
    expect(created).toHaveLength(1);
    const winner = created[0]?.data?.requestTraining.id;
    for (const refused of answers.filter((a) => a.errors))
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'DEMAND_ALREADY_REQUESTED',
        existingId: winner,
      });
    expect(await stored({ city: 'El Salto' })).toBe(1);
    // One request, one DemandRequested: the refused ones published nothing.
    const requested = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.training.events`,
      until: ({ event }) => event.subject === winner,
      count: 1,
    });
    const forThisBody = requested.filter(
      ({ event }) =>
        event.type === 'training.DemandRequested' &&
        (event.data as { city?: string }).city === 'El Salto',
    );
    expect(forThisBody).toHaveLength(1);
  });

  it('lets the same need be asked again once the request is cancelled', async () => {
    const body = input.demand(world, { city: 'Ocotlán' });
    const first = (await ask(body)).data?.requestTraining;
    await client().ok(
      CANCEL,
      { input: { id: first.id, reason: 'Se registró con datos equivocados' } },
      actingFor(world.clusterId),
    );
    const again = await ask(body);
    expect(again.errors).toBeUndefined();
    expect(again.data?.requestTraining.id).not.toBe(first.id);
  });

  it('imports alike historical records (closed requests hold no key)', async () => {
    const alike = {
      requesterId: world.clusterId,
      target: { standardId: world.standardId },
    };
    const res = await client().request(
      GQL.importHistory,
      {
        input: {
          source: history.source,
          records: [
            history.apiRecord(world, 'RD-2022-00001', alike),
            history.apiRecord(world, 'RD-2022-00002', alike),
          ],
        },
      },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.importDemandHistory.importedCount).toBe(2);
  });

  it('keys requests written before natural keys at start: the oldest of live duplicates keeps the key', async () => {
    const { collection } = running.service.stores.demands;
    const legacy = (id: string, status: string) => ({
      _id: id,
      requesterId: world.clusterId,
      state: 'MX-JAL',
      city: 'Lagos de Moreno',
      target: { kind: 'STANDARD', id: world.standardId },
      headcount: 12,
      neededBy: new Date(`${futureDay(200)}T00:00:00.000Z`),
      status,
      projectId: null,
      cancellationReason: null,
      requestedAt: new Date(),
    });
    const [older, newer, closed] = [uuidv7(), uuidv7(), uuidv7()];
    await collection.insertMany([
      legacy(older, 'OPEN'),
      legacy(newer, 'OPEN'),
      legacy(closed, 'CANCELLED'),
    ] as never);
    expect(await running.service.backfillNaturalKeys()).toBe(3);
    const keyOf = async (id: string) =>
      (
        (await collection.findOne({ _id: id } as never)) as {
          naturalKey?: string;
        }
      )?.naturalKey;
    expect(await keyOf(older)).toMatch(/^live\|/);
    expect(await keyOf(newer)).toBe(`duplicate:${newer}`);
    expect(await keyOf(closed)).toBe(`closed:${closed}`);
    // A second pass finds nothing to do.
    expect(await running.service.backfillNaturalKeys()).toBe(0);
    const again = await ask({
      state: 'MX-JAL',
      city: 'Lagos de Moreno',
      target: { standardId: world.standardId },
      headcount: 12,
      neededBy: futureDay(200),
    });
    expect(again.errors?.[0]?.extensions?.existingId).toBe(older);
    // The legacy duplicate stays readable and cancellable.
    await client().ok(
      CANCEL,
      { input: { id: newer, reason: 'Duplicada' } },
      broker,
    );
  });
});

// Issue 11: an agreement is looked up by its target (a standard's offers, a
// demand's matches) through a top-level, indexed `targetKey`; agreements
// written before it get theirs at start.
describe('the target key of an agreement', () => {
  const OFFERS = `query ($r: [_Any!]!) { _entities(representations: $r) {
    ... on CompetencyStandard { trainingOffers { id } }
  } }`;
  const offers = async () =>
    (
      await client().ok(
        OFFERS,
        { r: [{ __typename: 'CompetencyStandard', id: world.standardId }] },
        actingFor(world.clusterId),
      )
    )._entities[0].trainingOffers.map((o: { id: string }) => o.id);

  it("finds an agreement written before target keys among its standard's offers once the start-up backfill has run", async () => {
    const signed = (
      await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
    ).signAgreement.id as string;
    expect(await offers()).toContain(signed);
    // As an earlier version stored it: no key.
    const { collection } = running.service.stores.agreements;
    await collection.updateOne({ _id: signed } as never, {
      $unset: { targetKey: '' },
    });
    expect(await offers()).not.toContain(signed);

    expect(await running.service.backfillAgreementTargets()).toBe(1);
    expect(await offers()).toContain(signed);
    expect(
      await collection.countDocuments({
        _id: signed,
        targetKey: `STANDARD:${world.standardId}`,
      } as never),
    ).toBe(1);
    // A second pass finds nothing to do.
    expect(await running.service.backfillAgreementTargets()).toBe(0);
  });
});

describe('the indexes at start', () => {
  it('leave nothing for the next start to drop or build again, on every collection of the service', async () => {
    const models = Object.values(
      running.service.stores.demands.model.db.models,
    );
    expect(models.length).toBeGreaterThan(5);
    for (const model of models)
      expect({
        collection: model.collection.collectionName,
        ...(await model.diffIndexes()),
      }).toEqual({
        collection: model.collection.collectionName,
        toDrop: [],
        toCreate: [],
      });
  });
});
