import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  InvalidEventError,
  OrganizationRegisteredV1,
  SectorRegisteredV1,
  allContracts,
  createEventRegistry,
  defineEvent,
  dlqTopicFor,
  eventRegistry,
  newEvent,
  parseEvent,
  topicFor,
  withOutbox,
  newDocWithOutbox,
} from '../src';
import { committeesMother } from './fixtures/committeesMother';

describe('event envelope and contracts', () => {
  it('builds a valid envelope with a UUID v7 id, UTC time and the owning service as source', () => {
    const data = committeesMother.organizationData();
    const event = newEvent(OrganizationRegisteredV1, {
      subject: data.id,
      data,
      traceId: 'trace-1',
    });
    expect(event).toMatchObject({
      type: 'committees.OrganizationRegistered',
      version: 1,
      source: 'committees',
      subject: data.id,
      data,
      traceId: 'trace-1',
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(event.occurredAt).toMatch(/Z$/);
    expect(parseEvent(JSON.stringify(event))).toEqual(event);
  });

  it('refuses an event whose data does not match its contract', () => {
    const data = committeesMother.organizationData({
      taxId: 'not-an-rfc',
      state: 'MX-XYZ',
    });
    expect(() =>
      newEvent(OrganizationRegisteredV1, { subject: data.id, data }),
    ).toThrow(InvalidEventError);
    try {
      newEvent(OrganizationRegisteredV1, { subject: data.id, data });
    } catch (error) {
      const invalid = error as InvalidEventError;
      expect(invalid.fields).toEqual(
        expect.arrayContaining(['data.taxId', 'data.state']),
      );
      expect(invalid.message).toContain('committees.OrganizationRegistered v1');
      expect(invalid.message).toContain('data.taxId');
    }
  });

  it('refuses a received event whose data does not match its contract', () => {
    const event = committeesMother.sectorRegistered();
    const tampered = { ...event, data: { ...event.data, kind: 'MINING' } };
    expect(() => parseEvent(tampered)).toThrow(/data\.kind/);
  });

  it('refuses an envelope with a local time offset or a missing subject', () => {
    const event = committeesMother.sectorRegistered();
    expect(() =>
      parseEvent({ ...event, occurredAt: '2025-01-01T10:00:00-06:00' }),
    ).toThrow(/occurredAt/);
    expect(() => parseEvent({ ...event, subject: '' })).toThrow(/subject/);
  });

  it('refuses an unknown type, or a version older than every one known, with a clear error', () => {
    const event = committeesMother.sectorRegistered();
    expect(() =>
      parseEvent({ ...event, type: 'committees.SectorRenamed' }),
    ).toThrow(expect.objectContaining({ code: 'UNKNOWN_EVENT' }));
    const onlyV2 = createEventRegistry([
      defineEvent({
        type: 'committees.SectorRegistered',
        version: 2,
        description: 'test contract',
        data: z.object({ code: z.string() }),
      }),
    ]);
    expect(() => onlyV2.parse(event)).toThrow(
      /Unknown event committees\.SectorRegistered v1/,
    );
    // A newer version of a known type is no longer refused (test/domain/event-evolution.test.ts).
    expect(parseEvent({ ...event, version: 9 }).version).toBe(1);
  });

  it('refuses a message that is not JSON', () => {
    expect(() => parseEvent(Buffer.from('{nope'))).toThrow(/not JSON/);
  });

  it('refuses a source other than the service that owns the contract', () => {
    const data = committeesMother.sectorData();
    expect(() =>
      newEvent(SectorRegisteredV1, {
        subject: data.id,
        data,
        source: 'training',
      }),
    ).toThrow(/source/);
  });

  it('accepts every known version', () => {
    const v1 = defineEvent({
      type: 'committees.SectorRenamed',
      version: 1,
      description: 'test contract',
      data: z.object({ name: z.string() }),
    });
    const v2 = defineEvent({
      type: 'committees.SectorRenamed',
      version: 2,
      description: 'test contract, with the previous name',
      data: z.object({ name: z.string(), previousName: z.string() }),
    });
    const registry = createEventRegistry([v1, v2]);
    const old = newEvent(v1, { subject: 's-1', data: { name: 'TI' } });
    const current = newEvent(v2, {
      subject: 's-1',
      data: { name: 'TIC', previousName: 'TI' },
    });
    expect(registry.parse(JSON.stringify(old)).version).toBe(1);
    expect(registry.parse(JSON.stringify(current)).data).toEqual({
      name: 'TIC',
      previousName: 'TI',
    });
    expect(registry.versionsOf('committees.SectorRenamed')).toEqual([1, 2]);
    // A v1 payload sent as v2 is checked against v2's schema.
    expect(() => registry.parse({ ...old, version: 2 })).toThrow(
      /data\.previousName/,
    );
  });

  it('knows every contract of every service once', () => {
    for (const contract of allContracts) {
      expect(eventRegistry.find(contract.type, contract.version)).toBe(
        contract,
      );
    }
    expect(() =>
      createEventRegistry([OrganizationRegisteredV1, OrganizationRegisteredV1]),
    ).toThrow(/Duplicate/);
  });

  it('refuses a contract whose type is not "<service>.<Fact>"', () => {
    expect(() =>
      defineEvent({
        type: 'billing.InvoicePaid',
        version: 1,
        description: 'x',
        data: z.object({}),
      }),
    ).toThrow(/service/);
  });
});

describe('topic names', () => {
  it('names the events and dead-letter topics with the isolation prefix', () => {
    expect(topicFor('committees')).toBe('conecta.committees.events');
    expect(topicFor('standards', 't1.')).toBe('t1.conecta.standards.events');
    expect(dlqTopicFor('outcomes', 't1.')).toBe('t1.conecta.outcomes.dlq');
  });
});

describe('outbox update helpers', () => {
  it('merges the events into the same update as the state change', () => {
    const event = committeesMother.sectorRegistered();
    const update = withOutbox(
      {
        $set: { name: 'TIC' },
        $push: { aliases: 'TI' },
        $inc: { revision: 1 },
      },
      [event],
    );
    expect(update).toEqual({
      $set: { name: 'TIC', outboxPending: true },
      $push: { aliases: 'TI', outbox: { $each: [event] } },
      $inc: { revision: 1 },
    });
  });

  it('refuses a replacement document, which would erase pending events', () => {
    const event = committeesMother.sectorRegistered();
    expect(() => withOutbox({ name: 'TIC' }, [event])).toThrow(/replacement/);
  });

  it('puts the first events in a new document', () => {
    const event = committeesMother.sectorRegistered();
    expect(newDocWithOutbox({ _id: event.subject }, [event])).toEqual({
      _id: event.subject,
      outbox: [event],
      outboxPending: true,
    });
  });
});

describe('documentation', () => {
  it('the README lists every contract and version', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const contract of allContracts) {
      // Prettier pads table cells; a type is letters and one dot.
      const type = contract.type.replace('.', '\\.');
      expect(readme).toMatch(
        new RegExp(`\\|\\s*\`${type}\`\\s*\\|\\s*${contract.version}\\s*\\|`),
      );
    }
  });
});
