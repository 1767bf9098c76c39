import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import {
  managesWebhooksOf,
  seesAllDemand,
  subscriptionOwner,
  webhookScope,
} from '../../src/domain/permissions';
import {
  createSubscription,
  createSubscriptionInput,
  updateSubscription,
  webhookUrlProblem,
} from '../../src/domain/subscription';

const dev = { production: false };
const prod = { production: true };

describe('where deliveries may go (the SSRF rule)', () => {
  it('accepts https anywhere outside production, and http only to localhost', () => {
    expect(
      webhookUrlProblem('https://rh.example.mx/hooks', dev),
    ).toBeUndefined();
    expect(
      webhookUrlProblem('http://localhost:8080/hooks', dev),
    ).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:9999/', dev)).toBeUndefined();
    expect(webhookUrlProblem('http://[::1]:9999/', dev)).toBeUndefined();
    expect(webhookUrlProblem('http://rh.example.mx/hooks', dev)).toMatch(
      /https/,
    );
  });

  it('refuses in production http, this machine, private addresses and compose names', () => {
    for (const url of [
      'http://localhost:8080/',
      'https://localhost/',
      'https://127.0.0.1/',
      'https://10.1.2.3/',
      'https://172.20.0.4/',
      'https://192.168.1.10/',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00::1]/',
      'https://mongo:27017/',
    ])
      expect({ url, problem: webhookUrlProblem(url, prod) }).toEqual({
        url,
        problem: expect.any(String),
      });
    expect(
      webhookUrlProblem('https://rh.example.mx/hooks', prod),
    ).toBeUndefined();
    expect(
      webhookUrlProblem('https://203.0.113.7/hooks', prod),
    ).toBeUndefined();
  });

  it('refuses other schemes, credentials in the URL and what is not a URL', () => {
    expect(webhookUrlProblem('ftp://rh.example.mx/', dev)).toBeDefined();
    expect(
      webhookUrlProblem('https://user:pw@rh.example.mx/', dev),
    ).toBeDefined();
    expect(webhookUrlProblem('rh.example.mx/hooks', dev)).toBeDefined();
  });
});

describe('a subscription’s input', () => {
  it('reports every bad field at once, the URL with its reason', () => {
    expect(() =>
      parseInput(createSubscriptionInput(true), {
        url: 'http://localhost:3000/',
        kinds: [],
        filters: { states: ['MX-XXX'] },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'WEBHOOK_URL_NOT_ALLOWED',
        fields: expect.arrayContaining([
          expect.objectContaining({ field: 'input.url' }),
          expect.objectContaining({ field: 'input.kinds' }),
          expect.objectContaining({ field: 'input.filters.states[0]' }),
        ]),
      }),
    );
  });

  it('creates a subscription with a fresh secret and no filters unless given; an update replaces only what it names', () => {
    const input = parseInput(createSubscriptionInput(false), {
      url: 'https://rh.example.mx/hooks',
      kinds: ['COHORT_SCHEDULED', 'COHORT_SCHEDULED'],
    });
    const now = new Date();
    const sub = createSubscription(input, {
      id: uuidv7(),
      organizationId: uuidv7(),
      seesAllDemand: false,
      createdBy: 'app',
      now,
    });
    expect(sub.kinds).toEqual(['COHORT_SCHEDULED']);
    expect(sub.filters).toEqual({ states: [], sectorIds: [], standardIds: [] });
    expect(sub.secret).toMatch(/^whsec_/);
    const updated = updateSubscription(
      sub,
      {
        id: sub.id,
        filters: { states: ['MX-NLE'], sectorIds: [], standardIds: [] },
      },
      new Date(now.getTime() + 1),
    );
    expect(updated).toMatchObject({
      url: sub.url,
      kinds: sub.kinds,
      filters: { states: ['MX-NLE'] },
      secret: sub.secret,
    });
  });
});

describe('who manages subscriptions', () => {
  const org = uuidv7();
  const partner = {
    roles: ['partner' as const],
    organizationId: org,
    subject: 'app',
    issuedAt: 0,
  };

  it('lets a partner app or staff manage its own organization’s only, and admins every one', () => {
    expect(webhookScope(partner)).toEqual({ organizationId: org });
    expect(managesWebhooksOf(partner, org)).toBe(true);
    expect(managesWebhooksOf(partner, uuidv7())).toBe(false);
    const staff = {
      roles: ['university' as const],
      organizationId: org,
      subject: 'rh@udg',
      issuedAt: 0,
    };
    expect(managesWebhooksOf(staff, org)).toBe(true);
    const admin = { roles: ['admin' as const], subject: 'root', issuedAt: 0 };
    expect(webhookScope(admin)).toBe('all');
    expect(managesWebhooksOf(admin, uuidv7())).toBe(true);
  });

  it('refuses anonymous callers and callers acting for no organization', () => {
    expect(() => webhookScope({ roles: ['public'], issuedAt: 0 })).toThrow(
      expect.objectContaining({ kind: 'UNAUTHENTICATED' }),
    );
    expect(() =>
      webhookScope({ roles: ['university'], subject: 'someone', issuedAt: 0 }),
    ).toThrow(expect.objectContaining({ code: 'NOT_ACTING_FOR_ORGANIZATION' }));
  });

  it('makes a new subscription its creator’s organization’s, or the one an admin names', () => {
    expect(subscriptionOwner(webhookScope(partner), undefined)).toBe(org);
    expect(subscriptionOwner(webhookScope(partner), org)).toBe(org);
    expect(() => subscriptionOwner(webhookScope(partner), uuidv7())).toThrow(
      expect.objectContaining({
        kind: 'FORBIDDEN',
        code: 'NOT_ACTING_FOR_ORGANIZATION',
      }),
    );
    const named = uuidv7();
    expect(subscriptionOwner('all', named)).toBe(named);
    expect(() => subscriptionOwner('all', null)).toThrow(
      expect.objectContaining({
        kind: 'BAD_USER_INPUT',
        code: 'ORGANIZATION_REQUIRED',
        field: 'input.organizationId',
      }),
    );
  });

  it('gives every demand request to subscriptions of brokers and admins only', () => {
    expect(seesAllDemand(partner)).toBe(false);
    expect(
      seesAllDemand({ roles: ['broker'], subject: 'b', issuedAt: 0 }),
    ).toBe(true);
  });
});
