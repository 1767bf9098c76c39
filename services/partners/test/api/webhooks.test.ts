import { v7 as uuidv7 } from 'uuid';
import { notifyPartnersOnDomainEvent } from '../../src/events/notify';
import { eventMother, notifiable } from '../fixtures/mothers';
import {
  startReceiver,
  verifyDelivery,
  type Receiver,
} from '../fixtures/receiver';
import {
  admin,
  anonymous,
  partnerOf,
  startPartners,
  TEST_GIVE_UP_MS,
  type RunningPartners,
} from '../fixtures/service';

// Issue 17, signed webhooks: the partners subgraph on the real Kafka and
// MongoDB-wire server, other services' events published to their topics as
// their relays do, and a partner's real HTTP receiver that checks every
// signature and timestamp, answers 503 for a while, goes away (port closed)
// and comes back. Retries every 0.25–1 s and a give-up after 8 s (the
// defaults are minutes and a day).

const CREATE = `mutation ($i: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $i) {
    secret
    subscription { id organizationId url kinds filters { states sectorIds standardIds } seesAllDemand }
  }
}`;
const LOG = `query ($id: ID!, $status: WebhookDeliveryStatus) {
  webhookSubscription(id: $id) {
    id
    deliveries(first: 100, status: $status) {
      nextCursor
      nodes {
        id eventId type payload status nextAttemptAt deliveredAt deadLetteredAt replayCount
        attempts { at outcome httpStatus error durationMs }
      }
    }
  }
}`;

interface LoggedDelivery {
  id: string;
  eventId: string;
  type: string;
  payload: string;
  status: string;
  deadLetteredAt: string | null;
  replayCount: number;
  attempts: {
    at: string;
    outcome: string;
    httpStatus: number | null;
    error: string | null;
  }[];
}

let running: RunningPartners;
let receiver: Receiver;
const orgA = uuidv7();
const orgB = uuidv7();
const A = partnerOf(orgA);
const B = partnerOf(orgB);
const nuevoLeon = { id: '', secret: '' };

async function create(
  as: typeof A,
  input: Record<string, unknown>,
): Promise<{ id: string; secret: string }> {
  const data = await running.client.ok(CREATE, { i: input }, as);
  return {
    id: data.createWebhookSubscription.subscription.id,
    secret: data.createWebhookSubscription.secret,
  };
}

async function log(
  subscriptionId: string,
  as = A,
  status?: string,
): Promise<LoggedDelivery[]> {
  const data = await running.client.ok(
    LOG,
    { id: subscriptionId, ...(status && { status }) },
    as,
  );
  return data.webhookSubscription.deliveries.nodes;
}

/** The one delivery of `subscriptionId` whose body mentions `text`, once it is in `status`. */
function deliveryOf(subscriptionId: string, text: string, status: string) {
  return running.eventually(async () =>
    (await log(subscriptionId)).find(
      (d) => d.payload.includes(text) && d.status === status,
    ),
  );
}

beforeAll(async () => {
  running = await startPartners('partners-webhooks');
  receiver = await startReceiver();
}, 60_000);

afterAll(async () => {
  await receiver?.stop();
  await running?.stop();
});

describe('managing subscriptions', () => {
  it('creates a subscription for the caller’s organization and shows its secret once', async () => {
    const data = await running.client.ok(
      CREATE,
      {
        i: {
          url: receiver.url('/nl'),
          kinds: [
            'STANDARD_PUBLISHED',
            'COHORT_SCHEDULED',
            'CERTIFICATE_REVOKED',
            'CERTIFICATE_SUSPENDED',
          ],
          filters: { states: ['MX-NLE'] },
        },
      },
      A,
    );
    const created = data.createWebhookSubscription;
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.subscription).toMatchObject({
      organizationId: orgA,
      filters: { states: ['MX-NLE'], sectorIds: [], standardIds: [] },
      seesAllDemand: false,
    });
    Object.assign(nuevoLeon, {
      id: created.subscription.id,
      secret: created.secret,
    });
    const read = await running.client.ok(
      `query ($id: ID!) { webhookSubscription(id: $id) { id url } }`,
      { id: nuevoLeon.id },
      A,
    );
    expect(read.webhookSubscription).toEqual({
      id: nuevoLeon.id,
      url: receiver.url('/nl'),
    });
    // Never readable again: the schema has no field for it.
    const again = await running.client.request(
      `query ($id: ID!) { webhookSubscription(id: $id) { secret } }`,
      { id: nuevoLeon.id },
      A,
    );
    expect(again.errors?.[0]?.message).toMatch(/secret/);
  });

  it('hides a subscription from other organizations and refuses anonymous callers', async () => {
    const other = await running.client.ok(
      `query ($id: ID!) { webhookSubscription(id: $id) { id } webhookSubscriptions { id } }`,
      { id: nuevoLeon.id },
      B,
    );
    expect(other).toEqual({
      webhookSubscription: null,
      webhookSubscriptions: [],
    });
    const refused = await running.client.request(
      `{ webhookSubscriptions { id } }`,
      {},
      anonymous,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const foreign = await running.client.request(
      `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
      { id: nuevoLeon.id },
      B,
    );
    expect(foreign.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'WEBHOOK_SUBSCRIPTION_NOT_FOUND',
    });
    const all = await running.client.ok(
      `{ webhookSubscriptions { id } }`,
      {},
      admin,
    );
    expect(all.webhookSubscriptions.map((s: { id: string }) => s.id)).toContain(
      nuevoLeon.id,
    );
  });

  it('refuses a bad input field by field, and an http URL to another host', async () => {
    const bad = await running.client.request(
      CREATE,
      {
        i: {
          url: 'http://rh.example.mx/hooks',
          kinds: [],
          filters: { states: ['MX-XYZ'] },
        },
      },
      A,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'WEBHOOK_URL_NOT_ALLOWED',
      field: 'input.url',
    });
    expect(
      bad.errors?.[0]?.extensions?.fields.map(
        (f: { field: string }) => f.field,
      ),
    ).toEqual(['input.url', 'input.kinds', 'input.filters.states[0]']);
    expect(
      (await running.client.ok(`{ webhookSubscriptions { id } }`, {}, A))
        .webhookSubscriptions,
    ).toHaveLength(1);
  });
});

describe('deliveries', () => {
  it('delivers the matching events only, signed, with public data only', async () => {
    // Organization B wants its own demand requests.
    const demand = await create(B, {
      url: receiver.url('/demand'),
      kinds: ['DEMAND_REQUESTED'],
    });
    const standard = eventMother.standardPublished();
    const monterrey = eventMother.cohortScheduled({ state: 'MX-NLE' });
    const guadalajara = eventMother.cohortScheduled({ state: 'MX-JAL' });
    const withdrawn = eventMother.standardWithdrawn(
      standard.data.id,
      standard.data.sectorId,
    );
    const revoked = eventMother.certificateRevoked(standard.data.id);
    const suspended = eventMother.certificateSuspended(standard.data.id);
    const ownDemand = eventMother.demandRequested({ requesterId: orgB });
    const othersDemand = eventMother.demandRequested();
    await running.publish(standard, withdrawn);
    await running.publish(revoked, suspended);
    await running.publish(monterrey, guadalajara, ownDemand, othersDemand);
    await running.caughtUp();

    const nl = await running.eventually(async () => {
      const got = receiver.accepted('/nl');
      return got.length >= 4 && got;
    });
    const demandGot = await running.eventually(async () => {
      const got = receiver.accepted('/demand');
      return got.length >= 1 && got;
    });
    // Nothing else arrives once the worker has nothing due.
    await running.service.worker.runOnce();
    expect(receiver.accepted('/nl')).toHaveLength(4);
    expect(receiver.accepted('/demand')).toHaveLength(1);

    expect(nl.map((r) => r.payload.type).sort()).toEqual([
      'certificate.revoked',
      'certificate.suspended',
      'cohort.scheduled',
      'standard.published',
    ]);
    expect(
      nl.find((r) => r.payload.type === 'cohort.scheduled')!.payload.data[
        'cohortId'
      ],
    ).toBe(monterrey.data.id);
    expect(demandGot[0]!.payload.data['demandRequestId']).toBe(
      ownDemand.data.id,
    );
    for (const r of nl) {
      expect(verifyDelivery(nuevoLeon.secret, r.headers, r.body)).toBe(true);
      expect(r.headers['content-type']).toBe('application/json');
      expect(Object.keys(r.payload).sort()).toEqual([
        'data',
        'timestamp',
        'type',
      ]);
    }
    expect(
      verifyDelivery(demand.secret, demandGot[0]!.headers, demandGot[0]!.body),
    ).toBe(true);
    expect(
      verifyDelivery(
        nuevoLeon.secret,
        demandGot[0]!.headers,
        demandGot[0]!.body,
      ),
    ).toBe(false);
    // The certificate's standard was published first: its code is known.
    const cert = nl.find((r) => r.payload.type === 'certificate.revoked')!;
    expect(cert.payload.data['standard']).toEqual({
      id: standard.data.id,
      code: standard.data.code,
    });
    for (const event of [revoked, suspended]) {
      const body = nl.map((r) => r.body).join('\n');
      expect(body).not.toContain(event.data.personId);
      expect(body).not.toContain(event.data.reason);
    }
    // The log says the same: four deliveries, each delivered at the first attempt.
    const logged = await log(nuevoLeon.id);
    expect(logged).toHaveLength(4);
    for (const d of logged)
      expect(d).toMatchObject({
        status: 'DELIVERED',
        attempts: [{ outcome: 'SUCCEEDED', httpStatus: 204, error: null }],
      });
  });

  it('never delivers a redelivered domain event twice', async () => {
    const cohort = eventMother.cohortScheduled({ state: 'MX-NLE' });
    await running.publish(cohort);
    await deliveryOf(nuevoLeon.id, cohort.data.id, 'DELIVERED');
    await running.publish(cohort, cohort);
    await running.caughtUp();
    await running.service.worker.runOnce();
    const bodies = receiver
      .accepted('/nl')
      .filter((r) => r.body.includes(cohort.data.id));
    expect(bodies).toHaveLength(1);
    expect(
      (await log(nuevoLeon.id)).filter((d) => d.eventId === cohort.id),
    ).toHaveLength(1);
  });

  it('writes one delivery per subscription even when an event comes back after its processed mark was lost (a crash between the two writes)', async () => {
    const { stores } = running.service;
    const handle = notifyPartnersOnDomainEvent(stores);
    const cohort = eventMother.cohortScheduled({ state: 'MX-NLE' });
    await handle(notifiable(cohort));
    await stores.processed.model.collection.deleteOne({
      _id: cohort.id,
    } as never);
    await handle(notifiable(cohort));
    await deliveryOf(nuevoLeon.id, cohort.data.id, 'DELIVERED');
    expect(
      (await log(nuevoLeon.id)).filter((d) => d.eventId === cohort.id),
    ).toHaveLength(1);
  });

  it('keeps trying while the receiver answers 503 and while its port is closed, and delivers when it is back, every attempt in the log', async () => {
    receiver.unavailable();
    const cohort = eventMother.cohortScheduled({ state: 'MX-NLE' });
    await running.publish(cohort);
    const failing = (d: LoggedDelivery | undefined) => d?.attempts ?? [];
    await running.eventually(async () => {
      const d = (await log(nuevoLeon.id)).find((x) => x.eventId === cohort.id);
      return failing(d).filter((a) => a.httpStatus === 503).length >= 2;
    });
    await receiver.down();
    await running.eventually(async () => {
      const d = (await log(nuevoLeon.id)).find((x) => x.eventId === cohort.id);
      return failing(d).some((a) => a.httpStatus === null && a.error);
    });
    await receiver.up();
    const delivered = await deliveryOf(
      nuevoLeon.id,
      cohort.data.id,
      'DELIVERED',
    );
    const outcomes = delivered.attempts.map((a) =>
      a.outcome === 'SUCCEEDED'
        ? 'ok'
        : a.httpStatus === 503
          ? '503'
          : 'refused',
    );
    expect(outcomes.slice(0, 2)).toEqual(['503', '503']);
    expect(outcomes).toContain('refused');
    expect(outcomes.at(-1)).toBe('ok');
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    const refused = delivered.attempts.find((a) => a.httpStatus === null)!;
    expect(refused.error).toMatch(/ECONNREFUSED|fetch failed/);
    // Attempts are spread by the backoff, oldest first.
    const times = delivered.attempts.map((a) => Date.parse(a.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Every attempt carried the same id, and the accepted one a valid signature.
    const got = receiver.received.filter((r) =>
      r.body.includes(cohort.data.id),
    );
    expect(new Set(got.map((r) => r.id))).toEqual(new Set([delivered.id]));
    const accepted = got.filter((r) => r.answered === 204);
    expect(accepted).toHaveLength(1);
    expect(
      verifyDelivery(nuevoLeon.secret, accepted[0]!.headers, accepted[0]!.body),
    ).toBe(true);
  }, 60_000);

  it('dead-letters a delivery nobody accepts once its first attempt is older than the give-up, and replays it on demand', async () => {
    await receiver.down();
    const standard = eventMother.standardPublished({ code: 'EC1357' });
    await running.publish(standard);
    const dead = await deliveryOf(nuevoLeon.id, 'EC1357', 'DEAD_LETTERED');
    const first = Date.parse(dead.attempts[0]!.at);
    expect(Date.parse(dead.deadLetteredAt!) - first).toBeGreaterThanOrEqual(
      TEST_GIVE_UP_MS,
    );
    expect(dead.attempts.every((a) => a.outcome === 'FAILED')).toBe(true);
    expect(dead.attempts.length).toBeGreaterThan(2);
    // Replaying while it is still due is refused; once dead, it goes again.
    await receiver.up();
    const replayed = await running.client.ok(
      `mutation ($id: ID!) { replayWebhookDelivery(id: $id) { id status replayCount } }`,
      { id: dead.id },
      A,
    );
    expect(replayed.replayWebhookDelivery).toEqual({
      id: dead.id,
      status: 'PENDING',
      replayCount: 1,
    });
    const delivered = await deliveryOf(nuevoLeon.id, 'EC1357', 'DELIVERED');
    expect(delivered.attempts.at(-1)).toMatchObject({
      outcome: 'SUCCEEDED',
      httpStatus: 204,
    });
    expect(delivered.attempts.length).toBe(dead.attempts.length + 1);
    const got = receiver
      .accepted('/nl')
      .filter((r) => r.body.includes('EC1357'));
    expect(got).toHaveLength(1);
    expect(got[0]!.id).toBe(dead.id);
    expect(
      verifyDelivery(nuevoLeon.secret, got[0]!.headers, got[0]!.body),
    ).toBe(true);
    const again = await running.client.request(
      `mutation ($id: ID!) { replayWebhookDelivery(id: $id) { id } }`,
      { id: uuidv7() },
      A,
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  }, 60_000);

  it('replays every dead-lettered delivery of a subscription at once', async () => {
    await receiver.down();
    const events = [
      eventMother.standardPublished({ code: 'EC2461' }),
      eventMother.standardPublished({ code: 'EC2462' }),
    ];
    await running.publish(...events);
    await deliveryOf(nuevoLeon.id, 'EC2461', 'DEAD_LETTERED');
    await deliveryOf(nuevoLeon.id, 'EC2462', 'DEAD_LETTERED');
    await receiver.up();
    const { replayDeadLetteredDeliveries } = await running.client.ok(
      `mutation ($s: ID!) { replayDeadLetteredDeliveries(subscriptionId: $s) { replayedCount } }`,
      { s: nuevoLeon.id },
      A,
    );
    expect(replayDeadLetteredDeliveries.replayedCount).toBe(2);
    await deliveryOf(nuevoLeon.id, 'EC2461', 'DELIVERED');
    await deliveryOf(nuevoLeon.id, 'EC2462', 'DELIVERED');
    expect(await log(nuevoLeon.id, A, 'DEAD_LETTERED')).toEqual([]);
  }, 60_000);

  it('sends a test ping, signs with both secrets after a rotation, and stops delivering once the subscription is deleted', async () => {
    const { sendTestWebhook } = await running.client.ok(
      `mutation ($s: ID!) { sendTestWebhook(subscriptionId: $s) { id type status } }`,
      { s: nuevoLeon.id },
      A,
    );
    expect(sendTestWebhook).toMatchObject({
      type: 'webhook.ping',
      status: 'PENDING',
    });
    const ping = await running.eventually(async () =>
      receiver.accepted('/nl').find((r) => r.id === sendTestWebhook.id),
    );
    expect(ping.payload).toMatchObject({
      type: 'webhook.ping',
      data: { subscriptionId: nuevoLeon.id },
    });

    const { rotateWebhookSecret } = await running.client.ok(
      `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret subscription { secretRotatedAt previousSecretValidUntil } } }`,
      { id: nuevoLeon.id },
      A,
    );
    expect(rotateWebhookSecret.secret).not.toBe(nuevoLeon.secret);
    expect(
      rotateWebhookSecret.subscription.previousSecretValidUntil,
    ).not.toBeNull();
    const cohort = eventMother.cohortScheduled({ state: 'MX-NLE' });
    await running.publish(cohort);
    const after = await running.eventually(async () =>
      receiver.accepted('/nl').find((r) => r.body.includes(cohort.data.id)),
    );
    expect(
      verifyDelivery(rotateWebhookSecret.secret, after.headers, after.body),
    ).toBe(true);
    expect(verifyDelivery(nuevoLeon.secret, after.headers, after.body)).toBe(
      true,
    );

    const updated = await running.client.ok(
      `mutation ($i: UpdateWebhookSubscriptionInput!) { updateWebhookSubscription(input: $i) { kinds filters { states } } }`,
      { i: { id: nuevoLeon.id, kinds: ['STANDARD_WITHDRAWN'], filters: null } },
      A,
    );
    expect(updated.updateWebhookSubscription).toEqual({
      kinds: ['STANDARD_WITHDRAWN'],
      filters: { states: [] },
    });
    const deleted = await running.client.ok(
      `mutation ($id: ID!) { deleteWebhookSubscription(id: $id) }`,
      { id: nuevoLeon.id },
      A,
    );
    expect(deleted.deleteWebhookSubscription).toBe(nuevoLeon.id);
    const before = receiver.accepted('/nl').length;
    const standard = eventMother.standardPublished();
    await running.publish(
      eventMother.standardWithdrawn(standard.data.id, standard.data.sectorId),
    );
    await running.caughtUp();
    await running.service.worker.runOnce();
    expect(receiver.accepted('/nl')).toHaveLength(before);
    expect(
      (
        await running.client.ok(
          `query ($id: ID!) { webhookSubscription(id: $id) { id } }`,
          { id: nuevoLeon.id },
          A,
        )
      ).webhookSubscription,
    ).toBeNull();
  }, 60_000);
});
