import type { Message } from 'kafkajs';
import {
  byOutboxLength,
  holdsExactly,
  nextCycleDelay,
  relayReadiness,
  sendIsolating,
  sendOrder,
  sendPending,
  setAside,
  setAsideNow,
} from '../../src/relay-rules';
import type { PendingDocument } from '../../src/relay-rules';
import { committeesMother } from '../fixtures/committeesMother';

// The outbox relay's decisions without a broker or a database: the relay
// (src/relay.ts) claims documents and settles them in MongoDB, and hands
// sending to these rules with its Kafka producer; here a fake sender
// records what would have gone to Kafka.

/** Three aggregates' events, written in this order: a1, b1, a2, c1, b2. */
function pendingDocuments() {
  const [a, b, c] = [0, 1, 2].map(() =>
    committeesMother.organizationRegistered(),
  );
  const a2 = committeesMother.organizationRegistered({ subject: a!.subject });
  const b2 = committeesMother.organizationRegistered({ subject: b!.subject });
  // Event ids are UUIDv7: creation order. Reordered as a server might return them.
  const docs: PendingDocument[] = [
    { _id: 'c', outbox: [c!] },
    { _id: 'b', outbox: [b!, b2] },
    { _id: 'a', outbox: [a!, a2] },
  ];
  return { docs, ids: { a: [a!.id, a2.id], b: [b!.id, b2.id], c: [c!.id] } };
}

/** A sender that keeps what it was given, and can be told to refuse. */
function fakeSender(refuse?: Error) {
  const batches: Message[][] = [];
  return {
    batches,
    send: async (messages: Message[]) => {
      if (refuse) throw refuse;
      batches.push(messages);
    },
  };
}

describe('what the relay sends, and in which order', () => {
  it('sends the document whose first pending event is oldest first, and each document’s events in array order', () => {
    const { docs } = pendingDocuments();
    // a's first event was written before b's, b's before c's (UUIDv7 order).
    const firsts = docs.map((d) => d.outbox![0]!.id).sort();
    const ordered = sendOrder(docs);
    expect(ordered.map((d) => d.outbox![0]!.id)).toEqual(firsts);
    expect(docs.map((d) => d._id)).toEqual(['c', 'b', 'a']); // input untouched
  });

  it('sends all claimed events in one request, keyed by subject with id, type and version in headers', async () => {
    const { docs, ids } = pendingDocuments();
    const sender = fakeSender();

    const count = await sendPending(sendOrder(docs), sender.send);

    expect(count).toBe(5);
    expect(sender.batches).toHaveLength(1);
    const sent = sender.batches[0]!;
    const idOf = (m: Message) => m.headers!['event-id'];
    // Per aggregate, the order it was written in.
    for (const expected of Object.values(ids)) {
      expect(
        sent.map(idOf).filter((id) => expected.includes(String(id))),
      ).toEqual(expected);
    }
    const first = sent[0]!;
    const envelope = JSON.parse(String(first.value));
    expect(first.key).toBe(envelope.subject);
    expect(first.headers).toEqual({
      'event-id': envelope.id,
      'event-type': 'committees.OrganizationRegistered',
      'event-version': '1',
    });
    // The envelope only: nothing of the document that carried it.
    expect(Object.keys(envelope).sort()).toEqual(
      [
        'data',
        'id',
        'occurredAt',
        'source',
        'subject',
        'type',
        'version',
      ].sort(),
    );
  });

  it('carries a trace id in the envelope and in a header when the event has one', async () => {
    const event = {
      ...committeesMother.organizationRegistered(),
      traceId: 'trace-7',
    };
    const sender = fakeSender();
    await sendPending([{ _id: 'x', outbox: [event] }], sender.send);
    const [message] = sender.batches[0]!;
    expect(message!.headers!['trace-id']).toBe('trace-7');
    expect(JSON.parse(String(message!.value)).traceId).toBe('trace-7');
  });

  it('sends nothing when the claimed documents hold no events, and passes a refusal on', async () => {
    const idle = fakeSender();
    expect(
      await sendPending([{ _id: 'x', outbox: [] }, { _id: 'y' }], idle.send),
    ).toBe(0);
    expect(idle.batches).toEqual([]);

    const refusing = fakeSender(new Error('broker gone'));
    await expect(
      sendPending(pendingDocuments().docs, refusing.send),
    ).rejects.toThrow('broker gone');
  });
});

describe('a document Kafka will never take', () => {
  /** Refuses, for good, any request that carries an event of `bad`; counts requests. */
  function refusingSender(bad: string, outage = false) {
    const batches: Message[][] = [];
    return {
      batches,
      send: async (messages: Message[]) => {
        if (messages.some((m) => m.key === bad))
          throw Object.assign(
            new Error(outage ? 'broker down' : 'message too large'),
            {
              outage,
            },
          );
        batches.push(messages);
      },
    };
  }
  const isOutage = (error: unknown) =>
    (error as { outage?: boolean }).outage === true;

  it('sends the other documents, one by one, and reports the refused one with its error', async () => {
    const docs = sendOrder(pendingDocuments().docs);
    const bad = docs[1]!.outbox![0]!.subject;
    const sender = refusingSender(bad);

    const outcome = await sendIsolating(docs, sender.send, isOutage);

    expect(outcome.sent.map((d) => d._id)).toEqual([
      docs[0]!._id,
      docs[2]!._id,
    ]);
    expect(outcome.refused).toEqual([
      {
        doc: docs[1],
        error: expect.objectContaining({ message: 'message too large' }),
      },
    ]);
    expect(outcome.events).toBe(
      docs[0]!.outbox!.length + docs[2]!.outbox!.length,
    );
    expect(sender.batches).toHaveLength(2); // the two good documents, each alone
  });

  it('does not split on an outage: the cycle fails and backs off', async () => {
    const docs = sendOrder(pendingDocuments().docs);
    const sender = refusingSender(docs[0]!.outbox![0]!.subject, true);
    await expect(sendIsolating(docs, sender.send, isOutage)).rejects.toThrow(
      'broker down',
    );
    expect(sender.batches).toEqual([]);
  });

  it('sets a refused document aside with backoff, and claims it again once due', () => {
    const backoff = { initialMs: 500, maxMs: 600_000 };
    let refusals = setAside(new Map(), 'doc-1', 'too large', 1_000, backoff);
    expect(setAsideNow(refusals, 1_499)).toEqual(['doc-1']);
    expect(setAsideNow(refusals, 1_500)).toEqual([]);
    refusals = setAside(refusals, 'doc-1', 'too large', 2_000, backoff);
    expect(refusals.get('doc-1')).toMatchObject({
      attempts: 2,
      retryAt: 3_000,
    });
    for (let i = 0; i < 30; i += 1)
      refusals = setAside(refusals, 'doc-1', 'too large', 0, backoff);
    expect(refusals.get('doc-1')!.retryAt).toBe(600_000);
  });
});

describe('which outboxes the relay may empty', () => {
  it('groups documents by how many events they held, so each group settles in one update', () => {
    const { docs } = pendingDocuments();
    const groups = byOutboxLength([...docs, { _id: 'empty' }]);
    expect([...groups.keys()].sort()).toEqual([0, 1, 2]);
    expect(groups.get(2)!.map((d) => d._id)).toEqual(['b', 'a']);
  });

  it('matches an outbox only while it holds exactly what was read: its length and its last event', () => {
    expect(holdsExactly(0, [])).toEqual({ outbox: { $size: 0 } });
    expect(holdsExactly(2, ['e2', 'f2'])).toEqual({
      outbox: { $size: 2 },
      'outbox.1.id': { $in: ['e2', 'f2'] },
    });
  });
});

describe('when the relay runs next', () => {
  const timing = {
    pollIntervalMs: 250,
    retryInitialDelayMs: 500,
    retryMaxDelayMs: 10_000,
  };

  it('after a success: at once if a write woke it, else after the poll interval', () => {
    expect(
      nextCycleDelay({
        ...timing,
        consecutiveFailures: 0,
        wakeRequested: true,
      }),
    ).toBe(0);
    expect(
      nextCycleDelay({
        ...timing,
        consecutiveFailures: 0,
        wakeRequested: false,
      }),
    ).toBe(250);
  });

  it('after failures: 500 ms doubling to 10 s, whatever wakes it', () => {
    const delays = [1, 2, 3, 4, 5, 6, 12].map((consecutiveFailures) =>
      nextCycleDelay({ ...timing, consecutiveFailures, wakeRequested: true }),
    );
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });
});

describe('what the relay reports', () => {
  const state = {
    running: true,
    consecutiveFailures: 0,
    refusedDocuments: 0,
    sendingSince: undefined,
    now: 100_000,
    stallAfterMs: 5_000,
  };

  it('is ready while running with the last cycle ok and no send hanging', () => {
    expect(relayReadiness(state, { topic: 't' })).toEqual({
      ok: true,
      detail: { running: true, topic: 't' },
    });
    expect(relayReadiness({ ...state, sendingSince: 95_001 }, {}).ok).toBe(
      true,
    );
  });

  it('is not ready when stopped, after a failed cycle, with a document Kafka refused, or with a send unanswered for stallAfterMs', () => {
    expect(relayReadiness({ ...state, running: false }, {}).ok).toBe(false);
    expect(relayReadiness({ ...state, refusedDocuments: 1 }, {}).ok).toBe(
      false,
    );
    expect(relayReadiness({ ...state, consecutiveFailures: 1 }, {}).ok).toBe(
      false,
    );
    expect(relayReadiness({ ...state, sendingSince: 95_000 }, {})).toEqual({
      ok: false,
      detail: { running: true, sendingForMs: 5_000 },
    });
  });
});
