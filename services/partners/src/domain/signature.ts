import { createHmac } from 'node:crypto';

// Standard Webhooks (www.standardwebhooks.com, spec/standard-webhooks.md,
// "Signature scheme"): the signed content is `${id}.${timestamp}.${body}`, the
// key is the secret's bytes (the base64 after `whsec_`), the signature is
// base64 of HMAC-SHA256, sent as `v1,<signature>`; several signatures (a
// rotation) are separated by spaces.

/** The three headers every delivery carries. */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

const SECRET_PREFIX = 'whsec_';

/** The key bytes of a `whsec_…` secret. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX))
    throw new Error('a webhook secret starts with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/**
 * The `v1,` signature of one delivery attempt.
 *
 * @param timestamp seconds since the epoch, as sent in `webhook-timestamp`
 * @param body the exact bytes sent (the JSON text)
 */
export function signature(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${id}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

/** The headers of one attempt, signed with every given secret (current first). */
export function signedHeaders(
  secrets: readonly string[],
  id: string,
  at: Date,
  body: string,
): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1_000);
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: secrets
      .map((secret) => signature(secret, id, timestamp, body))
      .join(' '),
  };
}
