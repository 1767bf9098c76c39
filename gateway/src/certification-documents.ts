import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { subgraphTimeoutMs, subgraphUrl, type GatewayConfig } from './env';
import { SUBGRAPHS } from './subgraphs';

/**
 * Where the certificates' public documents live: the path of the
 * certification service's CREDENTIAL_ISSUER_URL, whose URLs credentials carry
 * (issuer profiles, the JWK Set of their `kid`, status lists).
 */
export const CERTIFICATION_DOCUMENTS_PATH = '/certification';

// The fixed set forwarded, and nothing else of the service (no /graphql, no
// /health): the national issuer's profile, the keys, a body's profile, a
// status list. Ids are UUIDs or list numbers: one plain segment each.
const FORWARDED_PATH =
  /^\/certification(?:\/|\/keys|\/(?:bodies|status-lists)\/[A-Za-z0-9-]{1,64})?$/;
// Only what a cache-aware reader sends; never the caller's credentials or
// identity (these documents are public and the same for everyone).
const REQUEST_HEADERS = ['accept', 'if-none-match', 'if-modified-since'];
const RESPONSE_HEADERS = [
  'content-type',
  'etag',
  'cache-control',
  'last-modified',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'allow',
];

/**
 * `GET`/`HEAD` on the certificates' public documents, forwarded to the
 * certification subgraph at the same path with no identity headers, its
 * status, validators (`ETag`, 304) and `Cache-Control` passed back as they
 * are. Any other path under it answers 404, any other method 405, an
 * unreachable subgraph 502 (504 past its timeout), all as small JSON.
 */
export function certificationDocumentsRouter(
  config: GatewayConfig,
  logger: Logger,
): Router {
  const graphqlUrl = subgraphUrl(
    config,
    'certification',
    SUBGRAPHS.find((s) => s.name === 'certification')?.url ?? '',
  );
  const origin = new URL(graphqlUrl).origin;
  const timeoutMs = subgraphTimeoutMs(config, 'certification');
  const router = express.Router();
  router.use(CERTIFICATION_DOCUMENTS_PATH, async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('Allow', 'GET, HEAD').status(405);
      res.json({ error: 'method not allowed' });
      return;
    }
    const path = req.originalUrl.split('?')[0] ?? '';
    if (!FORWARDED_PATH.test(path)) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REQUEST_HEADERS) {
      const value = req.header(name);
      if (value) headers[name] = value;
    }
    try {
      const upstream = await fetch(`${origin}${path}`, {
        method: req.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      res.status(upstream.status);
      for (const name of RESPONSE_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) res.set(name, value);
      }
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      logger.warn({ err, path }, 'certification documents unavailable');
      res
        .status(timedOut ? 504 : 502)
        .json({ error: 'certification service unavailable' });
    }
  });
  return router;
}
