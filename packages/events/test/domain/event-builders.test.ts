import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { createEventBuilders, eventRow } from '../../src/builders';
import { defineEvent } from '../../src/contract';
import { InvalidEventError } from '../../src/errors';

// Event builders made from a table of rows, one per builder, each typed by
// its contract: what an envelope gets from the row and from the cause,
// without a broker or a database.

const ReleasedV1 = defineEvent({
  type: 'training.ThingReleased',
  version: 1,
  description: 'A thing was released from a project.',
  data: z.object({
    id: z.uuid(),
    projectId: z.uuid(),
    releasedAt: z.iso.datetime(),
  }),
});

const NoIdV1 = defineEvent({
  type: 'training.ThingCounted',
  version: 2,
  description: 'Things were counted (no id of its own).',
  data: z.object({ count: z.number().int().min(0) }),
});

interface Thing {
  id: string;
  createdAt: Date;
}
interface Cause {
  traceId?: string;
  now: Date;
}

const at = (d: Date) => d.toISOString();

const table = {
  released: eventRow(ReleasedV1, {
    data: (t: Thing, projectId: string, m: Cause) => ({
      id: t.id,
      projectId,
      releasedAt: at(m.now),
    }),
  }),
  created: eventRow(ReleasedV1, {
    subject: (t) => `key-${t.id}`,
    occurredAt: (t) => t.createdAt,
    data: (t: Thing, m: Cause) => ({
      id: t.id,
      projectId: t.id,
      releasedAt: at(m.now),
    }),
  }),
  counted: eventRow(NoIdV1, {
    subject: (aggregate) => aggregate,
    data: (_aggregate: string, count: number, _m: Cause) => ({ count }),
  }),
  countedWithoutKey: eventRow(NoIdV1, {
    data: (count: number, _m: Cause) => ({ count }),
  }),
};

const thing = (): Thing => ({
  id: uuidv7(),
  createdAt: new Date('2024-03-01T10:00:00.000Z'),
});
const now = new Date('2025-01-15T12:00:00.000Z');

describe('event builders from a table of contracts', () => {
  const events = createEventBuilders(table);

  it('builds one envelope per row: the contract, data.id as subject, the cause trace, now as occurredAt', () => {
    const t = thing();
    const projectId = uuidv7();
    const before = Date.now();
    const event = events.released(t, projectId, { traceId: 'req-1', now });
    expect(event).toMatchObject({
      type: 'training.ThingReleased',
      version: 1,
      source: 'training',
      subject: t.id,
      traceId: 'req-1',
      data: { id: t.id, projectId, releasedAt: '2025-01-15T12:00:00.000Z' },
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before);
  });

  it("takes the row's subject and occurredAt when it gives them", () => {
    const t = thing();
    const event = events.created(t, { now });
    expect(event.subject).toBe(`key-${t.id}`);
    expect(event.occurredAt).toBe('2024-03-01T10:00:00.000Z');
  });

  it('leaves traceId out when the cause has none', () => {
    const event = events.released(thing(), uuidv7(), { now });
    expect(event).not.toHaveProperty('traceId');
  });

  it('gives each event a new id', () => {
    const t = thing();
    const projectId = uuidv7();
    const a = events.released(t, projectId, { now });
    const b = events.released(t, projectId, { now });
    expect(a.id).not.toBe(b.id);
  });

  it('keys an event whose data has no id by the subject the row gives', () => {
    const event = events.counted('aggregate-7', 3, { now });
    expect(event).toMatchObject({
      type: 'training.ThingCounted',
      version: 2,
      subject: 'aggregate-7',
      data: { count: 3 },
    });
  });

  it('refuses a row with neither a subject nor an id in its data', () => {
    expect(() => events.countedWithoutKey(3, { now })).toThrow(
      'Event builder countedWithoutKey (training.ThingCounted): no subject, and its data has no id',
    );
  });

  it('validates the data by the contract, naming the bad field', () => {
    let error: unknown;
    try {
      events.released(thing(), 'not-a-uuid', { now });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).fields).toEqual(['data.projectId']);
  });

  it('types the data by the contract and the builders by the rows', () => {
    eventRow(ReleasedV1, {
      // @ts-expect-error releasedAt is missing from the contract's data
      data: (t: Thing, m: Cause) => ({ id: t.id, projectId: t.id, m }),
    });
    // @ts-expect-error released takes a project id before its cause
    expect(() => events.released(thing(), { now })).toThrow();
    expect(Object.keys(events)).toEqual([
      'released',
      'created',
      'counted',
      'countedWithoutKey',
    ]);
  });
});
