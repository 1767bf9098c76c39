import { createHash } from 'node:crypto';
import express, {
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { entityId } from '@conecta/events';
import { currentStatusList } from '../credentials/current-status-list';
import type { CredentialIssuer } from '../credentials/issuer';
import { CREDENTIAL_PATH } from '../env';
import type { Stores } from '../store';

// A revocation reaches verifiers within this time: the status lists are
// rebuilt on every request here, caches may keep them 5 minutes.
const STATUS_LIST_MAX_AGE_SECONDS = 300;
// Profiles and keys change rarely (a body renamed, a key rotated): an hour.
const PROFILE_MAX_AGE_SECONDS = 3_600;

/** A strong ETag of a representation: its SHA-256, so equal bytes give equal tags. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/**
 * Answers `body` with its strong ETag and `Cache-Control`, or 304 when the
 * request's `If-None-Match` names that tag.
 */
function sendCacheable(
  req: Request,
  res: Response,
  body: string,
  type: string,
  maxAgeSeconds: number,
): void {
  res.set({
    'Content-Type': type,
    ETag: strongEtag(body),
    'Cache-Control': `public, max-age=${maxAgeSeconds}`,
  });
  if (noneMatch(req.get('If-None-Match'), res.get('ETag') as string)) {
    res.status(304).end();
    return;
  }
  res.send(body);
}

/**
 * Whether an `If-None-Match` header names `etag` (RFC 9110 §13.1.2: weak
 * comparison, or `*`). Not express's `req.fresh`: it answers "not fresh"
 * whenever the request says `Cache-Control: no-cache`, and fetch() adds that
 * to every request carrying If-None-Match — a verifier revalidating its copy
 * would never get its 304.
 */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

function notFound(res: Response, what: string): void {
  res.status(404).json({ error: 'not found', message: `${what} not found` });
}

/**
 * The issuer's public documents over plain HTTP, under `/certification` (the
 * path of CREDENTIAL_ISSUER_URL, which the gateway forwards here): everything
 * a verifier holding only a credential needs, at the URLs inside it.
 *
 * - `GET /certification`: the national issuer's Open Badges Profile;
 * - `GET /certification/bodies/:id`: a certifying body's Profile (its credentials' issuer);
 * - `GET /certification/keys`: the JWK Set the JWTs' `kid` names;
 * - `GET /certification/status-lists/:id`: a Bitstring Status List credential (VC-JWT).
 *
 * Public data only (no person is named anywhere), readable from any origin,
 * each with a strong ETag and `Cache-Control`; unknown ids answer 404 JSON.
 */
export function publicDocumentsRouter({
  issuer,
  stores,
}: {
  issuer: CredentialIssuer;
  stores: Pick<Stores, 'bodies' | 'certificates'>;
}): Router {
  const router = express.Router({ strict: false });
  const documents = express.Router();

  // Public documents for any verifier, a web page's included.
  const publicHeaders: RequestHandler = (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Expose-Headers', 'ETag');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('Allow', 'GET, HEAD');
      res.status(405).json({ error: 'method not allowed' });
      return;
    }
    next();
  };
  documents.use(publicHeaders);

  documents.get('/', (req, res) => {
    sendCacheable(
      req,
      res,
      JSON.stringify(issuer.nationalProfile()),
      'application/ld+json',
      PROFILE_MAX_AGE_SECONDS,
    );
  });

  documents.get('/keys', (req, res) => {
    sendCacheable(
      req,
      res,
      JSON.stringify(issuer.publicJwks()),
      'application/jwk-set+json',
      PROFILE_MAX_AGE_SECONDS,
    );
  });

  documents.get('/bodies/:id', async (req, res) => {
    const id = entityId.safeParse(req.params['id']);
    const [body] = id.success ? await stores.bodies.findByIds([id.data]) : [];
    if (!body) {
      notFound(res, 'certifying body');
      return;
    }
    sendCacheable(
      req,
      res,
      JSON.stringify(issuer.bodyProfile(body)),
      'application/ld+json',
      PROFILE_MAX_AGE_SECONDS,
    );
  });

  documents.get('/status-lists/:id', async (req, res) => {
    const list = await currentStatusList(
      stores.certificates,
      issuer,
      String(req.params['id']),
    );
    if (!list) {
      notFound(res, 'status list');
      return;
    }
    sendCacheable(
      req,
      res,
      list.jwt,
      'application/vc+jwt',
      STATUS_LIST_MAX_AGE_SECONDS,
    );
  });

  documents.use((_req, res) => notFound(res, 'document'));
  router.use(CREDENTIAL_PATH, documents);
  return router;
}
