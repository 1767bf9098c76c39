import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { stateCodeSchema, type StateCode } from '@conecta/mexico';
import {
  KIND_DIMENSIONS,
  WEBHOOK_EVENT_KINDS,
  type Facets,
  type Notification,
  type WebhookEventKind,
} from './notification';

/** Filters of a subscription: each list, when not empty, must contain the event's value. */
export interface WebhookFilters {
  states: StateCode[];
  sectorIds: string[];
  standardIds: string[];
}

/** A partner organization's subscription to changes, delivered to its URL. */
export interface WebhookSubscription {
  id: string;
  /** The organization it belongs to: its partner apps and staff manage it. */
  organizationId: string;
  url: string;
  description: string | null;
  kinds: WebhookEventKind[];
  filters: WebhookFilters;
  /**
   * Receives every demand request (created by a broker or an admin, who see
   * all demand in the graph); otherwise only its organization's own.
   */
  seesAllDemand: boolean;
  /** The signing secret (`whsec_…`): shown once, at creation or rotation. */
  secret: string;
  /** The secret before the last rotation, still signing until `previousSecretUntil`. */
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  secretRotatedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * How long, after a rotation, deliveries are signed with the old secret too
 * (Standard Webhooks: several space-separated signatures), so a partner can
 * deploy the new secret without rejecting deliveries meanwhile: 24 h.
 */
export const PREVIOUS_SECRET_GRACE_MS = 86_400_000;

/** Random bytes in a signing secret: the spec asks for 24 to 64. */
const SECRET_BYTES = 32;

/** A new signing secret in Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(random: (n: number) => Buffer = randomBytes) {
  return `whsec_${random(SECRET_BYTES).toString('base64')}`;
}

// ---------------------------------------------------------------------------
// The SSRF rule: where deliveries may go.

/** Host names that reach this machine. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** IPv4 ranges a partner URL may not name in production: private, loopback, link-local, CGNAT, unspecified. */
function isInternalIPv4(host: string): boolean {
  const [a = 0, b = 0] = host.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

/** IPv6 loopback, unspecified, unique-local, link-local and IPv4-mapped addresses. */
function isInternalIPv6(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === '::1' ||
    h === '::' ||
    h.startsWith('fc') ||
    h.startsWith('fd') ||
    h.startsWith('fe80') ||
    h.startsWith('::ffff:')
  );
}

/**
 * Why `raw` may not receive deliveries, or undefined when it may (README:
 * Decisions, the SSRF rule). Always: an absolute `https:` URL without
 * credentials. Outside production, `http:` is allowed to localhost only
 * (developers' and tests' receivers). In production: no localhost, no IP
 * literal of a private, loopback or link-local range, no single-label host
 * name (`mongo`, `kafka`: the compose network's names).
 */
export function webhookUrlProblem(
  raw: string,
  { production }: { production: boolean },
): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = LOOPBACK_NAMES.has(host);
  if (url.protocol === 'http:') {
    if (production || !loopback)
      return production
        ? 'must use https'
        : 'must use https (http only to localhost, outside production)';
    return undefined;
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (!production) return undefined;
  if (loopback) return 'must not point at this machine';
  const ip = isIP(host);
  if (ip === 4 && isInternalIPv4(host))
    return 'must not name a private address';
  if (ip === 6 && isInternalIPv6(host))
    return 'must not name a private address';
  if (ip === 0 && !host.includes('.')) return 'must be a public host name';
  return undefined;
}

/** A webhook URL, checked by the SSRF rule (reason `WEBHOOK_URL_NOT_ALLOWED`). */
export const webhookUrl = (production: boolean) =>
  z
    .string()
    .trim()
    .max(2_000)
    .superRefine((value, ctx) => {
      const problem = webhookUrlProblem(value, { production });
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: problem,
          params: { code: 'WEBHOOK_URL_NOT_ALLOWED' },
        });
    });

// ---------------------------------------------------------------------------
// Inputs.

const kindsInput = z
  .array(z.enum(WEBHOOK_EVENT_KINDS))
  .min(1, 'must name at least one kind')
  .transform((kinds) => [...new Set(kinds)]);

/** At most this many values per filter: a filter is a short list, not a catalog. */
const MAX_FILTER_VALUES = 100;

const filtersInput = z
  .object({
    states: z
      .array(stateCodeSchema)
      .max(MAX_FILTER_VALUES)
      .nullish()
      .transform((v) => [...new Set(v ?? [])]),
    sectorIds: z
      .array(entityId)
      .max(MAX_FILTER_VALUES)
      .nullish()
      .transform((v) => [...new Set(v ?? [])]),
    standardIds: z
      .array(entityId)
      .max(MAX_FILTER_VALUES)
      .nullish()
      .transform((v) => [...new Set(v ?? [])]),
  })
  .nullish()
  .transform((f): WebhookFilters => ({
    states: f?.states ?? [],
    sectorIds: f?.sectorIds ?? [],
    standardIds: f?.standardIds ?? [],
  }));

const description = z.string().trim().max(500).nullish();

/** createWebhookSubscription's input. */
export const createSubscriptionInput = (production: boolean) =>
  z.object({
    /** Admins create for any organization; others for their own (and may omit it). */
    organizationId: entityId.nullish(),
    url: webhookUrl(production),
    description,
    kinds: kindsInput,
    filters: filtersInput,
  });
export type CreateSubscriptionInput = z.output<
  ReturnType<typeof createSubscriptionInput>
>;

/** updateWebhookSubscription's input: what is given replaces what was. */
export const updateSubscriptionInput = (production: boolean) =>
  z.object({
    id: entityId,
    url: webhookUrl(production).nullish(),
    description,
    kinds: kindsInput.nullish(),
    filters: filtersInput.optional(),
  });
export type UpdateSubscriptionInput = z.output<
  ReturnType<typeof updateSubscriptionInput>
>;

/** A new subscription; its secret is generated here and shown once. */
export function createSubscription(
  input: CreateSubscriptionInput,
  {
    id,
    organizationId,
    seesAllDemand,
    createdBy,
    now,
    secret = newSigningSecret(),
  }: {
    id: string;
    organizationId: string;
    seesAllDemand: boolean;
    createdBy: string | null;
    now: Date;
    secret?: string;
  },
): WebhookSubscription {
  return {
    id,
    organizationId,
    url: input.url,
    description: input.description ?? null,
    kinds: input.kinds,
    filters: input.filters,
    seesAllDemand,
    secret,
    previousSecret: null,
    previousSecretUntil: null,
    secretRotatedAt: null,
    createdBy,
    createdAt: now,
    updatedAt: now,
  };
}

/** The subscription after an update: given fields replace the old ones. */
export function updateSubscription(
  subscription: WebhookSubscription,
  input: UpdateSubscriptionInput,
  now: Date,
): WebhookSubscription {
  return {
    ...subscription,
    ...(input.url != null && { url: input.url }),
    ...(input.description !== undefined && {
      description: input.description ?? null,
    }),
    ...(input.kinds != null && { kinds: input.kinds }),
    ...(input.filters !== undefined && { filters: input.filters }),
    updatedAt: now,
  };
}

/** A new secret; the old one keeps signing for {@link PREVIOUS_SECRET_GRACE_MS}. */
export function rotateSecret(
  subscription: WebhookSubscription,
  now: Date,
  secret = newSigningSecret(),
): WebhookSubscription {
  return {
    ...subscription,
    secret,
    previousSecret: subscription.secret,
    previousSecretUntil: new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS),
    secretRotatedAt: now,
    updatedAt: now,
  };
}

/** The secrets a delivery made at `now` is signed with: the current one first. */
export function signingSecrets(
  subscription: Pick<
    WebhookSubscription,
    'secret' | 'previousSecret' | 'previousSecretUntil'
  >,
  now: Date,
): string[] {
  const previous =
    subscription.previousSecret &&
    subscription.previousSecretUntil &&
    subscription.previousSecretUntil > now
      ? [subscription.previousSecret]
      : [];
  return [subscription.secret, ...previous];
}

// ---------------------------------------------------------------------------
// Matching.

const FILTER_OF: Record<keyof Facets, keyof WebhookFilters> = {
  state: 'states',
  sectorId: 'sectorIds',
  standardId: 'standardIds',
};

/**
 * Whether `subscription` is told of `notification`: it subscribed to the
 * kind, may see it (a demand request: its own organization's, unless it sees
 * all demand), and every filter on a dimension the kind has contains the
 * event's value (an event without a value for that dimension does not match
 * it). Filters on dimensions the kind lacks do not apply (a state filter does
 * not hide national standards).
 */
export function matches(
  subscription: Pick<
    WebhookSubscription,
    'kinds' | 'filters' | 'organizationId' | 'seesAllDemand'
  >,
  notification: Pick<Notification, 'kind' | 'facets' | 'visibleTo'>,
): boolean {
  if (!subscription.kinds.includes(notification.kind)) return false;
  const { visibleTo } = notification;
  if (
    visibleTo !== 'everyone' &&
    !subscription.seesAllDemand &&
    visibleTo.organizationId !== subscription.organizationId
  )
    return false;
  return KIND_DIMENSIONS[notification.kind].every((dimension) => {
    const allowed = subscription.filters[FILTER_OF[dimension]] as string[];
    if (allowed.length === 0) return true;
    const value = notification.facets[dimension];
    return value !== undefined && allowed.includes(value);
  });
}
