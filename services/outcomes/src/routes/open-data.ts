import express, { type Request, type Router } from 'express';
import type { OpenDataExport, OpenDataFile } from '../store/open-data';

/** Where the open-data files are served (the gateway forwards this path here). */
export const OPEN_DATA_PATH = '/open-data';

/**
 * How long caches may keep a file without asking again: a change reaches the
 * origin within seconds (README: Open data), a cache adds at most this.
 */
export const OPEN_DATA_MAX_AGE_SECONDS = 60;

/**
 * Whether `If-None-Match` names `etag` (RFC 9110 §13.1.2: weak comparison, or
 * `*`). Not express's `req.fresh`, which says "not fresh" whenever the request
 * carries `Cache-Control: no-cache`, as fetch() revalidations do.
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** Whether the request's validators say the caller's copy is current (§13.2.2: If-None-Match wins). */
function notModified(req: Request, file: OpenDataFile): boolean {
  const tags = req.get('If-None-Match');
  if (tags) return noneMatch(tags, file.etag);
  const since = Date.parse(req.get('If-Modified-Since') ?? '');
  return !Number.isNaN(since) && file.lastModified.getTime() <= since;
}

/**
 * `GET`/`HEAD /open-data/<name>` for the files of `exported` (`names`): the
 * last build's bytes with a strong ETag, Last-Modified and Cache-Control,
 * 304 on a matching If-None-Match (or If-Modified-Since), readable from any
 * origin. 503 before the first build, 404 for any other name, 405 for any
 * other method. Public data only: nothing here sees the caller's identity.
 */
export function openDataRouter(
  exported: OpenDataExport,
  names: readonly string[],
): Router {
  const router = express.Router();
  router.use(OPEN_DATA_PATH, (req, res) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Expose-Headers', 'ETag, Last-Modified');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('Allow', 'GET, HEAD').status(405);
      res.json({ error: 'method not allowed' });
      return;
    }
    const name = req.path.replace(/^\//, '');
    if (!names.includes(name)) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    const file = exported.file(name);
    if (!file) {
      res.set('Retry-After', '5').status(503);
      res.json({ error: 'being generated, try again shortly' });
      return;
    }
    res.set({
      'Content-Type': file.contentType,
      ETag: file.etag,
      'Last-Modified': file.lastModified.toUTCString(),
      'Cache-Control': `public, max-age=${OPEN_DATA_MAX_AGE_SECONDS}`,
    });
    if (notModified(req, file)) {
      res.status(304).end();
      return;
    }
    // HEAD: express sends the headers (Content-Length included) without the body.
    res.send(file.body);
  });
  return router;
}
