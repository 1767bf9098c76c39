import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import {
  PAYLOAD_TYPES,
  WEBHOOK_EVENT_KINDS,
} from '../../src/domain/notification';
import { webhookPayloadSchema } from '../../src/domain/payload';
import { signature } from '../../src/domain/signature';

// docs/webhooks.md cannot rot: its payload examples are valid payloads, every
// kind has one, its signature example verifies with its secret (by the
// service's signing code and by the page's own Node example, run here).
const page = readFileSync(
  join(__dirname, '..', '..', '..', '..', 'docs', 'webhooks.md'),
  'utf8',
);
const blocks = (lang: string) =>
  [
    ...page.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'gm')),
  ].map(([, body]) => body!);

type Verify = (
  secret: string,
  headers: Record<string, string>,
  body: string,
  now?: number,
) => boolean;

describe('docs/webhooks.md', () => {
  const payloads = blocks('json')
    .map((text) => JSON.parse(text) as { type?: string })
    .filter((json) => typeof json.type === 'string');

  it('shows a valid payload for every kind and the ping', () => {
    for (const payload of payloads)
      expect({
        payload,
        problems: webhookPayloadSchema.safeParse(payload).error?.issues,
      }).toEqual({ payload, problems: undefined });
    expect(new Set(payloads.map((p) => p.type))).toEqual(
      new Set(Object.values(PAYLOAD_TYPES)),
    );
  });

  it('lists every kind with its payload type', () => {
    for (const kind of WEBHOOK_EVENT_KINDS)
      expect(page).toMatch(
        new RegExp(`\\| \`${kind}\`\\s*\\| \`${PAYLOAD_TYPES[kind]}\``),
      );
  });

  describe('its signature example', () => {
    const secret = /`(whsec_[A-Za-z0-9+/=]+)`/.exec(page)![1]!;
    const [body] = blocks('text');
    const raw = body!.trimEnd();
    const header = (name: string) =>
      new RegExp(`^${name}: (.+)$`, 'm').exec(page)![1]!;
    const headers = {
      'webhook-id': header('webhook-id'),
      'webhook-timestamp': header('webhook-timestamp'),
      'webhook-signature': header('webhook-signature'),
    };
    const at = Number(headers['webhook-timestamp']) * 1_000;
    const verifyWebhook = runInNewContext(`${blocks('js')[0]}\nverifyWebhook`, {
      require,
      Buffer,
    }) as Verify;

    it('is what the service sends for that body, id, timestamp and secret', () => {
      expect(webhookPayloadSchema.safeParse(JSON.parse(raw)).success).toBe(
        true,
      );
      expect(
        signature(
          secret,
          headers['webhook-id'],
          Number(headers['webhook-timestamp']),
          raw,
        ),
      ).toBe(headers['webhook-signature']);
      expect(page).toContain(
        `The signature is \`${headers['webhook-signature']}\``,
      );
    });

    it('is accepted by the page’s Node check, which refuses a changed body, another secret or a stale timestamp', () => {
      expect(verifyWebhook(secret, headers, raw, at)).toBe(true);
      expect(
        verifyWebhook(secret, headers, raw.replace('REVOKED', 'VALID'), at),
      ).toBe(false);
      expect(
        verifyWebhook(
          `whsec_${Buffer.from('another key').toString('base64')}`,
          headers,
          raw,
          at,
        ),
      ).toBe(false);
      expect(verifyWebhook(secret, headers, raw, at + 6 * 60_000)).toBe(false);
    });
  });
});
