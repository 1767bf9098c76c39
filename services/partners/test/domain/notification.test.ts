import { v7 as uuidv7 } from 'uuid';
import {
  pingPayload,
  toNotification,
  type StandardSummary,
} from '../../src/domain/notification';
import { webhookPayloadSchema } from '../../src/domain/payload';
import { eventMother, notifiable } from '../fixtures/mothers';

const nothingKnown = () => undefined;

describe('what partners are told of a domain event', () => {
  it('tells of a published standard with its public fields, under its sector and id', () => {
    const event = eventMother.standardPublished({ code: 'EC1234' });
    const n = toNotification(notifiable(event), nothingKnown)!;
    expect(n.kind).toBe('STANDARD_PUBLISHED');
    expect(n.eventId).toBe(event.id);
    expect(n.facets).toEqual({
      sectorId: event.data.sectorId,
      standardId: event.data.id,
    });
    expect(n.payload).toMatchObject({
      type: 'standard.published',
      timestamp: event.occurredAt,
      data: {
        standard: { id: event.data.id, code: 'EC1234', level: 3 },
        gazetteReference: 'DOF 20/11/2026',
      },
    });
    expect(n.visibleTo).toBe('everyone');
  });

  it('tells of superseded and withdrawn standards', () => {
    const id = uuidv7();
    const sectorId = uuidv7();
    expect(
      toNotification(
        notifiable(eventMother.standardSuperseded(id, sectorId)),
        nothingKnown,
      ),
    ).toMatchObject({
      kind: 'STANDARD_SUPERSEDED',
      payload: { type: 'standard.superseded' },
    });
    expect(
      toNotification(
        notifiable(eventMother.standardWithdrawn(id, sectorId)),
        nothingKnown,
      ),
    ).toMatchObject({
      kind: 'STANDARD_WITHDRAWN',
      facets: { sectorId, standardId: id },
      payload: { type: 'standard.withdrawn' },
    });
  });

  it('tells of a revoked or suspended certificate without its holder or the reason, which may name them', () => {
    const standard: StandardSummary = {
      id: uuidv7(),
      code: 'EC0217',
      sectorId: uuidv7(),
    };
    for (const event of [
      eventMother.certificateRevoked(standard.id),
      eventMother.certificateSuspended(standard.id),
    ]) {
      const n = toNotification(notifiable(event), (id) =>
        id === standard.id ? standard : undefined,
      )!;
      const body = JSON.stringify(n.payload);
      expect(body).not.toContain(event.data.personId);
      expect(body).not.toContain(event.data.reason);
      expect(body).not.toMatch(/person|holder|reason/i);
      expect(n.facets).toEqual({
        standardId: standard.id,
        sectorId: standard.sectorId,
      });
      expect(n.payload.data).toEqual({
        certificateId: event.data.id,
        standard: { id: standard.id, code: 'EC0217' },
        certifyingBodyId: event.data.certifyingBodyId,
        status: n.kind === 'CERTIFICATE_REVOKED' ? 'REVOKED' : 'SUSPENDED',
        changedAt: '2026-11-20T17:00:00.000Z',
      });
    }
  });

  it('leaves the sector out, and the code null, when the certificate’s standard is not known yet', () => {
    const n = toNotification(
      notifiable(eventMother.certificateRevoked(uuidv7())),
      nothingKnown,
    )!;
    expect(n.facets.sectorId).toBeUndefined();
    expect(n.payload.data['standard']).toMatchObject({ code: null });
  });

  it('tells of new demand only to its requester unless a subscription sees all demand, and never of imported history', () => {
    const requesterId = uuidv7();
    const live = toNotification(
      notifiable(eventMother.demandRequested({ requesterId, state: 'MX-NLE' })),
      nothingKnown,
    )!;
    expect(live).toMatchObject({
      kind: 'DEMAND_REQUESTED',
      visibleTo: { organizationId: requesterId },
      facets: { state: 'MX-NLE' },
      payload: { type: 'demand.requested', data: { headcount: 40 } },
    });
    expect(
      toNotification(
        notifiable(eventMother.demandRequested({ imported: true })),
        nothingKnown,
      ),
    ).toBeUndefined();
  });

  it('tells of a scheduled cohort with its state, or none when online', () => {
    const inPerson = toNotification(
      notifiable(eventMother.cohortScheduled({ state: 'MX-NLE' })),
      nothingKnown,
    )!;
    expect(inPerson).toMatchObject({
      kind: 'COHORT_SCHEDULED',
      facets: { state: 'MX-NLE' },
      payload: { type: 'cohort.scheduled', data: { state: 'MX-NLE' } },
    });
    const online = toNotification(
      notifiable(eventMother.cohortScheduled({ state: null })),
      nothingKnown,
    )!;
    expect(online.facets.state).toBeUndefined();
    expect(online.payload.data).toMatchObject({ state: null, mode: 'ONLINE' });
  });
});

describe('the public payload contract', () => {
  it('is what every kind produces, with nothing more', () => {
    const standard = { id: uuidv7(), code: 'EC0217', sectorId: uuidv7() };
    const events = [
      eventMother.standardPublished(),
      eventMother.standardSuperseded(standard.id, standard.sectorId),
      eventMother.standardWithdrawn(standard.id, standard.sectorId),
      eventMother.certificateRevoked(standard.id),
      eventMother.certificateSuspended(uuidv7()),
      eventMother.demandRequested({ standardId: standard.id }),
      eventMother.cohortScheduled({ standardId: standard.id }),
      eventMother.cohortScheduled({ state: null }),
    ];
    for (const event of events) {
      const n = toNotification(notifiable(event), (id) =>
        id === standard.id ? standard : undefined,
      )!;
      expect(webhookPayloadSchema.safeParse(n.payload).error).toBeUndefined();
    }
    expect(
      webhookPayloadSchema.safeParse(pingPayload(uuidv7(), new Date())).success,
    ).toBe(true);
    const leaky = toNotification(
      notifiable(eventMother.certificateRevoked(standard.id)),
      () => standard,
    )!.payload;
    expect(
      webhookPayloadSchema.safeParse({
        ...leaky,
        data: { ...leaky.data, personId: uuidv7() },
      }).success,
    ).toBe(false);
  });
});
