import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { signedHeaders } from '../../src/domain/signature';
import {
  newSigningSecret,
  rotateSecret,
  signingSecrets,
} from '../../src/domain/subscription';
import { randomSecret, subscriptionMother } from '../fixtures/mothers';

/**
 * A receiver's check, written from the Standard Webhooks spec's text (not
 * from the service's code): the signed content is the id, the timestamp and
 * the body joined by full stops; the key is the secret's base64 part after
 * `whsec_`, decoded; HMAC-SHA256, base64; the header lists `v1,<sig>`
 * entries separated by spaces, any of which may match; the timestamp is in
 * seconds and must be within the tolerance (5 minutes) of now.
 */
function receiverAccepts(
  secret: string,
  headers: Record<string, string>,
  body: string,
  nowSeconds: number,
): boolean {
  const id = headers['webhook-id']!;
  const timestamp = headers['webhook-timestamp']!;
  if (!/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > 5 * 60) return false;
  const key = Buffer.from(secret.split('_')[1]!, 'base64');
  const expected = createHmac('sha256', key)
    .update(id + '.' + timestamp + '.' + body)
    .digest();
  return headers['webhook-signature']!.split(' ').some((entry) => {
    const [version, sig] = entry.split(',');
    if (version !== 'v1' || !sig) return false;
    const given = Buffer.from(sig, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('signed deliveries (Standard Webhooks)', () => {
  const body = JSON.stringify({
    type: 'standard.published',
    timestamp: '2026-11-20T17:00:00.000Z',
    data: { standard: { code: 'EC0217' } },
  });
  const at = new Date();
  const now = Math.floor(at.getTime() / 1_000);

  it('generates secrets as whsec_ and base64 of 32 random bytes, each different', () => {
    const a = newSigningSecret();
    const b = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('signs id, timestamp and body so that a receiver following the spec accepts it', () => {
    const secret = randomSecret();
    const headers = signedHeaders([secret], 'delivery-1', at, body);
    expect(headers['webhook-id']).toBe('delivery-1');
    expect(headers['webhook-timestamp']).toBe(String(now));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(receiverAccepts(secret, headers, body, now)).toBe(true);
  });

  it('is refused with another secret, another body, another id or a stale timestamp', () => {
    const secret = randomSecret();
    const headers = signedHeaders([secret], 'delivery-1', at, body);
    expect(receiverAccepts(randomSecret(), headers, body, now)).toBe(false);
    expect(receiverAccepts(secret, headers, `${body} `, now)).toBe(false);
    expect(
      receiverAccepts(
        secret,
        { ...headers, 'webhook-id': 'delivery-2' },
        body,
        now,
      ),
    ).toBe(false);
    expect(receiverAccepts(secret, headers, body, now + 6 * 60)).toBe(false);
  });

  it('signs with the new and the previous secret for a day after a rotation, then with the new one only', () => {
    const old = subscriptionMother();
    const rotated = rotateSecret(old, at);
    const both = signedHeaders(
      signingSecrets(rotated, at),
      'delivery-1',
      at,
      body,
    );
    expect(both['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(receiverAccepts(old.secret, both, body, now)).toBe(true);
    expect(receiverAccepts(rotated.secret, both, body, now)).toBe(true);
    const later = new Date(at.getTime() + 86_400_001);
    expect(signingSecrets(rotated, later)).toEqual([rotated.secret]);
  });

  it('uses the secret’s decoded bytes as the key, not its text', () => {
    const bytes = randomBytes(24);
    const secret = `whsec_${bytes.toString('base64')}`;
    const headers = signedHeaders([secret], 'x', at, body);
    const wrong = createHmac('sha256', secret)
      .update(`x.${now}.${body}`)
      .digest('base64');
    expect(headers['webhook-signature']).not.toBe(`v1,${wrong}`);
    expect(receiverAccepts(secret, headers, body, now)).toBe(true);
  });
});
