import { v7 as uuidv7 } from 'uuid';
import { toNotification } from '../../src/domain/notification';
import { matches } from '../../src/domain/subscription';
import {
  eventMother,
  notifiable,
  subscriptionMother,
} from '../fixtures/mothers';

const none = () => undefined;

describe('which subscriptions a change is delivered to', () => {
  const sectorId = uuidv7();
  const published = toNotification(
    notifiable(eventMother.standardPublished({ sectorId })),
    none,
  )!;

  it('delivers a kind only to subscriptions to it', () => {
    expect(matches(subscriptionMother(), published)).toBe(true);
    expect(
      matches(subscriptionMother({ kinds: ['STANDARD_WITHDRAWN'] }), published),
    ).toBe(false);
  });

  it('narrows by sector and by standard', () => {
    const bySector = (ids: string[]) =>
      subscriptionMother({
        filters: { states: [], sectorIds: ids, standardIds: [] },
      });
    expect(matches(bySector([sectorId, uuidv7()]), published)).toBe(true);
    expect(matches(bySector([uuidv7()]), published)).toBe(false);
    const byStandard = subscriptionMother({
      filters: { states: [], sectorIds: [], standardIds: [uuidv7()] },
    });
    expect(matches(byStandard, published)).toBe(false);
  });

  it('does not hide national standards behind a state filter', () => {
    const jalisco = subscriptionMother({
      kinds: ['STANDARD_PUBLISHED', 'COHORT_SCHEDULED'],
      filters: { states: ['MX-JAL'], sectorIds: [], standardIds: [] },
    });
    expect(matches(jalisco, published)).toBe(true);
  });

  it('narrows cohorts by state; an online cohort, with no state, does not match a state filter', () => {
    const cohorts = (states: ('MX-NLE' | 'MX-JAL')[]) =>
      subscriptionMother({
        kinds: ['COHORT_SCHEDULED'],
        filters: { states, sectorIds: [], standardIds: [] },
      });
    const monterrey = toNotification(
      notifiable(eventMother.cohortScheduled({ state: 'MX-NLE' })),
      none,
    )!;
    const online = toNotification(
      notifiable(eventMother.cohortScheduled({ state: null })),
      none,
    )!;
    expect(matches(cohorts(['MX-NLE']), monterrey)).toBe(true);
    expect(matches(cohorts(['MX-JAL']), monterrey)).toBe(false);
    expect(matches(cohorts([]), online)).toBe(true);
    expect(matches(cohorts(['MX-NLE']), online)).toBe(false);
  });

  it('narrows certificates by the sector of their standard, once that standard is known', () => {
    const standard = { id: uuidv7(), code: 'EC0217', sectorId };
    const event = notifiable(eventMother.certificateRevoked(standard.id));
    const known = toNotification(event, () => standard)!;
    const unknown = toNotification(event, none)!;
    const sub = subscriptionMother({
      kinds: ['CERTIFICATE_REVOKED'],
      filters: { states: [], sectorIds: [sectorId], standardIds: [] },
    });
    expect(matches(sub, known)).toBe(true);
    expect(matches(sub, unknown)).toBe(false);
  });

  it('delivers a demand request to its requester’s subscriptions and to those that see all demand, never to other organizations', () => {
    const requesterId = uuidv7();
    const demand = toNotification(
      notifiable(eventMother.demandRequested({ requesterId })),
      none,
    )!;
    const kinds = ['DEMAND_REQUESTED'] as const;
    expect(
      matches(
        subscriptionMother({ kinds: [...kinds], organizationId: requesterId }),
        demand,
      ),
    ).toBe(true);
    expect(matches(subscriptionMother({ kinds: [...kinds] }), demand)).toBe(
      false,
    );
    expect(
      matches(
        subscriptionMother({ kinds: [...kinds], seesAllDemand: true }),
        demand,
      ),
    ).toBe(true);
  });
});
