import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { subgraphTimeoutMs, subgraphUrl, type GatewayConfig } from './env';
import { resourceIdRouter } from './resource-ids';
import { SUBGRAPHS } from './subgraphs';

/** Where the open-data export lives (docs/open-data.md). */
export const OPEN_DATA_PATH = '/open-data';

/** The licence every file is published under (docs/open-data.md, "Licence"). */
export const OPEN_DATA_LICENSE = {
  name: 'CC BY 4.0',
  url: 'https://creativecommons.org/licenses/by/4.0/deed.es',
};

// The index is cheap to rebuild (one HEAD per file); caches may keep it briefly.
const INDEX_MAX_AGE_SECONDS = 60;

/** Each file of the export, served by the subgraph that owns its data. */
export const OPEN_DATA_FILES = [
  {
    name: 'standards.csv',
    service: 'standards',
    title: {
      es: 'Estándares de competencia publicados',
      en: 'Published competency standards',
    },
  },
  {
    name: 'standards.jsonld',
    service: 'standards',
    title: {
      es: 'Estándares de competencia publicados (CTDL)',
      en: 'Published competency standards (CTDL)',
    },
  },
  {
    name: 'certifying-bodies.csv',
    service: 'certification',
    title: {
      es: 'Entidades de certificación y sus ofertas',
      en: 'Certifying bodies and their offers',
    },
  },
  {
    name: 'certifying-bodies.jsonld',
    service: 'certification',
    title: {
      es: 'Entidades de certificación y sus ofertas (CTDL)',
      en: 'Certifying bodies and their offers (CTDL)',
    },
  },
  {
    name: 'outcomes.csv',
    service: 'outcomes',
    title: {
      es: 'Resultados agregados por estado, sector y año',
      en: 'Aggregate outcomes by state, sector and year',
    },
  },
  {
    name: 'outcomes.jsonld',
    service: 'outcomes',
    title: {
      es: 'Resultados agregados por estado y año (CTDL)',
      en: 'Aggregate outcomes by state and year (CTDL)',
    },
  },
] as const;

// Only what a cache-aware reader sends; never the caller's credentials.
const REQUEST_HEADERS = ['accept', 'if-none-match', 'if-modified-since'];
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'etag',
  'cache-control',
  'last-modified',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'allow',
  'retry-after',
];

/** Anything that charges a request to its client address (the /graphql budget). */
export interface IpBudget {
  consumeIp(ip: string): Promise<number | undefined>;
}

/**
 * `/open-data`: the index (built here, from a HEAD of each file) and each file,
 * and `/id/…`, the resources the files' identifiers name (`resourceIdRouter`),
 * forwarded to the subgraph that owns it at the same path with no identity
 * headers, its status, validators (ETag, 304) and Cache-Control passed back.
 * Charged to the client address like /graphql (public, not free). Any other
 * path answers 404, any other method 405, an unreachable subgraph 502 (504
 * past its timeout).
 */
export function openDataRouter(
  config: GatewayConfig,
  logger: Logger,
  budget: IpBudget,
): Router {
  const origins = new Map(
    SUBGRAPHS.map((s) => [
      s.name,
      {
        origin: new URL(subgraphUrl(config, s.name, s.url)).origin,
        timeoutMs: subgraphTimeoutMs(config, s.name),
      },
    ]),
  );
  const upstreamOf = (name: string) => {
    const file = OPEN_DATA_FILES.find((f) => f.name === name);
    const upstream = file && origins.get(file.service);
    return (
      upstream && {
        ...upstream,
        url: `${upstream.origin}${OPEN_DATA_PATH}/${file.name}`,
      }
    );
  };

  const router = express.Router();
  // The files' identifiers, answered from the JSON-LD files (resource-ids.ts).
  router.use(
    resourceIdRouter({
      files: OPEN_DATA_FILES,
      upstreamOf,
      license: OPEN_DATA_LICENSE,
      openDataPath: OPEN_DATA_PATH,
      logger,
      budget,
    }),
  );
  router.use(OPEN_DATA_PATH, async (req, res) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const retryAfter = await budget.consumeIp(ip);
    if (retryAfter !== undefined) {
      res.set('Retry-After', String(retryAfter)).status(429);
      res.json({ error: 'too many requests', code: 'RATE_LIMITED' });
      return;
    }
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Expose-Headers', 'ETag, Last-Modified');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('Allow', 'GET, HEAD').status(405);
      res.json({ error: 'method not allowed' });
      return;
    }
    const name = req.path.replace(/^\/+/, '');
    if (name === '') {
      await sendIndex(req, res);
      return;
    }
    const upstream = upstreamOf(name);
    if (!upstream) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    const headers: Record<string, string> = {};
    for (const header of REQUEST_HEADERS) {
      const value = req.header(header);
      if (value) headers[header] = value;
    }
    try {
      const response = await fetch(upstream.url, {
        method: req.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(upstream.timeoutMs),
      });
      res.status(response.status);
      for (const header of RESPONSE_HEADERS) {
        const value = response.headers.get(header);
        if (value) res.set(header, value);
      }
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      logger.warn({ err, file: name }, 'open data unavailable');
      res.status(timedOut ? 504 : 502).json({ error: 'service unavailable' });
    }
  });

  /**
   * The index: every file with its URL (where this request reached the
   * gateway), media type, licence, size, ETag and Last-Modified as its
   * service answers a HEAD now; a file whose service does not answer is
   * listed with `available: false`.
   */
  async function sendIndex(req: Request, res: Response): Promise<void> {
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const files = await Promise.all(
      OPEN_DATA_FILES.map(async (file) => {
        const upstream = upstreamOf(file.name)!;
        const entry = {
          name: file.name,
          title: file.title,
          url: `${base}${OPEN_DATA_PATH}/${file.name}`,
          mediaType: file.name.endsWith('.csv')
            ? 'text/csv; charset=utf-8'
            : 'application/ld+json',
          license: OPEN_DATA_LICENSE.url,
        };
        try {
          const head = await fetch(upstream.url, {
            method: 'HEAD',
            signal: AbortSignal.timeout(upstream.timeoutMs),
          });
          if (!head.ok) return { ...entry, available: false };
          const modified = head.headers.get('last-modified');
          return {
            ...entry,
            available: true,
            bytes: Number(head.headers.get('content-length')),
            etag: head.headers.get('etag'),
            lastModified: modified ? new Date(modified).toISOString() : null,
          };
        } catch (err) {
          logger.warn(
            { err, file: file.name },
            'open data index: file unavailable',
          );
          return { ...entry, available: false };
        }
      }),
    );
    const body = JSON.stringify({
      title: {
        es: 'Datos abiertos de Conecta — Sistema Nacional de Competencias',
        en: 'Conecta open data — national skills system',
      },
      documentation: 'docs/open-data.md',
      license: OPEN_DATA_LICENSE,
      files,
    });
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    res.set({
      'Content-Type': 'application/json; charset=utf-8',
      ETag: etag,
      'Cache-Control': `public, max-age=${INDEX_MAX_AGE_SECONDS}`,
    });
    const tags = req.get('If-None-Match');
    if (tags?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      res.status(304).end();
      return;
    }
    res.send(body);
  }

  return router;
}
