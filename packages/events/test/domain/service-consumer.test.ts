import { consumerWiring, dispatcher, type EventEnvelope } from '../../src';

// The one naming convention of a service's consumer (issue 16: one
// projection consumer), and the per-event dispatch projections replay with.

describe('consumerWiring', () => {
  it("names the service's group, reads its sources' topics and fails to its own dead-letter topic", () => {
    expect(
      consumerWiring({
        service: 'certification',
        sources: ['standards', 'committees'],
        topicPrefix: 't1_',
      }),
    ).toEqual({
      groupId: 't1_certification',
      topics: ['t1_conecta.standards.events', 't1_conecta.committees.events'],
      dlqTopic: 't1_conecta.certification.dlq',
    });
  });

  it("gives a second consumer of a service a group of its own and the service's dead-letter topic", () => {
    expect(
      consumerWiring({
        service: 'standards',
        purpose: 'supersession',
        sources: ['standards'],
      }),
    ).toEqual({
      groupId: 'standards-supersession',
      topics: ['conecta.standards.events'],
      dlqTopic: 'conecta.standards.dlq',
    });
  });
});

describe('dispatcher', () => {
  const event = (type: string) =>
    ({ type, id: type }) as unknown as EventEnvelope;

  it('applies the handler of the event’s type and skips types it has none for', async () => {
    const seen: string[] = [];
    const handle = dispatcher<EventEnvelope>({
      'standards.StandardPublished': async (e: EventEnvelope) => {
        seen.push(e.id);
      },
    } as never);
    await handle(event('standards.StandardPublished'));
    await handle(event('standards.StandardWithdrawn'));
    expect(seen).toEqual(['standards.StandardPublished']);
  });
});
