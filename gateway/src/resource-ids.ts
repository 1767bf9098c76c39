import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import escapeHtml from 'escape-html';

/**
 * Where the open-data identifiers live: every `@id` of the JSON-LD files is
 * `<PUBLIC_BASE_URL>/id/…` (docs/open-data.md, "Identifiers"), and the
 * gateway answers them.
 */
export const RESOURCE_ID_PATH = '/id';

// What the files answer when their service gives no Cache-Control (it always does).
const DEFAULT_CACHE_CONTROL = 'public, max-age=60';

/** A node of a JSON-LD file's `@graph`. */
export type ResourceNode = Record<string, unknown> & {
  '@id': string;
  '@type': string;
};

/** One of the open-data files, as the gateway knows it. */
export interface OpenDataFileRef {
  name: string;
  service: string;
  title: { es: string; en: string };
}

/** Where a file is fetched from (its owning subgraph). */
export interface FileUpstream {
  url: string;
  timeoutMs: number;
}

/** A JSON-LD file as last fetched, with its validators. */
interface LoadedFile {
  name: string;
  service: string;
  etag: string | null;
  lastModified: string | null;
  cacheControl: string | null;
  context: unknown;
  nodes: ResourceNode[];
}

/** A resource: its node and the file that publishes it. */
export interface Resource {
  node: ResourceNode;
  file: { name: string; service: string; context: unknown };
  lastModified: string | null;
  cacheControl: string | null;
}

/** Every resource of the files, by the path of its identifier, and who refers to whom. */
export interface ResourceIndex {
  byPath: Map<string, Resource>;
  /** Path → the paths of the resources whose node names it. */
  referrers: Map<string, Set<string>>;
}

/**
 * The `/id/…` part of an identifier (whatever the public base URL, with or
 * without a path of its own); null when it is not one of ours.
 */
export function idPathOf(iri: string): string | null {
  let url: URL;
  try {
    url = new URL(iri);
  } catch {
    return null;
  }
  const at = url.pathname.indexOf(`${RESOURCE_ID_PATH}/`);
  return at < 0 ? null : url.pathname.slice(at).replace(/\/+$/, '');
}

/** Every identifier a value names (nested nodes and lists included), once each. */
function namedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const path = idPathOf(value);
    if (path) into.add(path);
  } else if (Array.isArray(value)) for (const v of value) namedIds(v, into);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) namedIds(v, into);
  return into;
}

/** Indexes the nodes of the files by their identifier's path (pure). */
export function indexResources(files: readonly LoadedFile[]): ResourceIndex {
  const byPath = new Map<string, Resource>();
  const referrers = new Map<string, Set<string>>();
  for (const file of files)
    for (const node of file.nodes) {
      const path = idPathOf(node['@id']);
      if (!path) continue;
      byPath.set(path, {
        node,
        file: { name: file.name, service: file.service, context: file.context },
        lastModified: file.lastModified,
        cacheControl: file.cacheControl,
      });
    }
  for (const [path, { node }] of byPath)
    for (const named of namedIds(node)) {
      if (named === path) continue;
      const set = referrers.get(named) ?? new Set<string>();
      set.add(path);
      referrers.set(named, set);
    }
  return { byPath, referrers };
}

/** What a type is, in Spanish and English (the CTDL classes the files use). */
const TYPE_LABELS: Record<string, { es: string; en: string }> = {
  'ceterms:Certification': {
    es: 'Estándar de competencia (certificación)',
    en: 'Competency standard (certification)',
  },
  'ceasn:CompetencyFramework': {
    es: 'Marco de competencias de un estándar',
    en: "A standard's competency framework",
  },
  'ceasn:Competency': {
    es: 'Elemento de un estándar de competencia',
    en: 'Element of a competency standard',
  },
  'ceterms:CredentialOrganization': {
    es: 'Entidad de certificación',
    en: 'Certifying body',
  },
  'ceterms:AssessmentProfile': {
    es: 'Oferta de evaluación de una entidad acreditada',
    en: 'Assessment offer of an accredited body',
  },
  'ceterms:AggregateDataProfile': {
    es: 'Resultados agregados (con supresión de grupos pequeños)',
    en: 'Aggregate outcomes (small groups suppressed)',
  },
};

const isLanguageMap = (value: object): value is Record<string, unknown> =>
  !Array.isArray(value) &&
  Object.keys(value).length > 0 &&
  Object.keys(value).every((k) => /^[a-z]{2}(-[A-Z]{2})?$/.test(k));

/** A language map's texts, Spanish first. */
function texts(value: unknown): Array<{ lang: string; text: string }> {
  if (!value || typeof value !== 'object' || !isLanguageMap(value)) return [];
  return Object.entries(value)
    .filter(([, v]) => typeof v === 'string')
    .sort(([a], [b]) => (a === 'es' ? -1 : b === 'es' ? 1 : a.localeCompare(b)))
    .map(([lang, text]) => ({ lang, text: String(text) }));
}

/** The resource's name: its CTDL name (or an element's text), Spanish first. */
function nameOf(node: ResourceNode): Array<{ lang: string; text: string }> {
  for (const key of ['ceterms:name', 'ceasn:name', 'ceasn:competencyText']) {
    const found = texts(node[key]);
    if (found.length > 0) return found;
  }
  return [{ lang: 'es', text: node['@id'] }];
}

/** One value as HTML: identifiers this gateway answers are links, language maps per language, nodes nested. */
function valueHtml(value: unknown, index: ResourceIndex): string {
  if (typeof value === 'string') {
    const path = idPathOf(value);
    if (path && index.byPath.has(path))
      return `<a href="${escapeHtml(path)}">${escapeHtml(value)}</a>`;
    return escapeHtml(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean')
    return escapeHtml(String(value));
  if (Array.isArray(value))
    return value.length === 1
      ? valueHtml(value[0], index)
      : `<ul>${value.map((v) => `<li>${valueHtml(v, index)}</li>`).join('')}</ul>`;
  if (value && typeof value === 'object') {
    const localized = texts(value);
    if (localized.length > 0)
      return localized
        .map(
          ({ lang, text }) =>
            `<span lang="${escapeHtml(lang)}">${escapeHtml(text)}</span> <small>(${escapeHtml(lang)})</small>`,
        )
        .join('<br>');
    return fieldsHtml(value as Record<string, unknown>, index);
  }
  return '';
}

/** A node's properties as a definition list (`@type` of a nested node first). */
function fieldsHtml(
  node: Record<string, unknown>,
  index: ResourceIndex,
  skip: readonly string[] = [],
): string {
  const rows = Object.entries(node)
    .filter(([key]) => !skip.includes(key))
    .map(
      ([key, value]) =>
        `<dt><code>${escapeHtml(key)}</code></dt><dd>${valueHtml(value, index)}</dd>`,
    );
  return `<dl>${rows.join('')}</dl>`;
}

/** A link to another resource, by its path, with its name. */
function resourceLink(path: string, index: ResourceIndex): string {
  const found = index.byPath.get(path);
  const label = found ? (nameOf(found.node)[0]?.text ?? path) : path;
  return `<a href="${escapeHtml(path)}">${escapeHtml(label)}</a> <small><code>${escapeHtml(path)}</code></small>`;
}

/**
 * A small readable page of one resource (pure): its name, what it is, its
 * identifier, every field of its node (Spanish first, English where the
 * data has it), links to the resources it names and to those naming it,
 * and to the open-data files it comes from.
 */
export function resourcePage(
  path: string,
  resource: Resource,
  index: ResourceIndex,
  files: readonly OpenDataFileRef[],
  license: { name: string; url: string },
  openDataPath: string,
): string {
  const { node } = resource;
  const names = nameOf(node);
  const title = names[0]!.text;
  const type = TYPE_LABELS[node['@type']];
  const outgoing = [...namedIds(node)].filter(
    (p) => p !== path && index.byPath.has(p),
  );
  const incoming = [...(index.referrers.get(path) ?? [])];
  const sources = files.filter((f) => f.service === resource.file.service);
  const list = (paths: string[]) =>
    paths.length === 0
      ? '<p>—</p>'
      : `<ul>${paths.map((p) => `<li>${resourceLink(p, index)}</li>`).join('')}</ul>`;
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Conecta, datos abiertos</title>
<link rel="alternate" type="application/ld+json" href="${escapeHtml(path)}">
<link rel="license" href="${escapeHtml(license.url)}">
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}dt{font-weight:bold;margin-top:.5rem}dd{margin-left:1rem}dl dl{border-left:2px solid #ccc;padding-left:.5rem}small{color:#555}</style>
</head>
<body>
<header><p><a href="${openDataPath}">Datos abiertos de Conecta</a> · <span lang="en">Conecta open data</span></p></header>
<main>
<h1>${escapeHtml(title)}</h1>
${names
  .slice(1)
  .map(
    ({ lang, text }) =>
      `<p lang="${escapeHtml(lang)}"><strong>${escapeHtml(text)}</strong></p>`,
  )
  .join('\n')}
<p>${type ? `${escapeHtml(type.es)} · <span lang="en">${escapeHtml(type.en)}</span> — ` : ''}<code>${escapeHtml(node['@type'])}</code></p>
<p>Identificador · <span lang="en">Identifier</span>: <code>${escapeHtml(node['@id'])}</code></p>
<h2>Datos · <span lang="en">Data</span></h2>
${fieldsHtml(node, index, ['@id', '@type'])}
<h2>Recursos relacionados · <span lang="en">Related resources</span></h2>
<h3>Los que nombra · <span lang="en">It names</span></h3>
${list(outgoing)}
<h3>Lo nombran · <span lang="en">Named by</span></h3>
${list(incoming)}
<h2>Descargas · <span lang="en">Downloads</span></h2>
<ul>
<li>Este recurso en JSON-LD (CTDL) · <span lang="en">This resource as JSON-LD (CTDL)</span>: <code>Accept: application/ld+json</code></li>
${sources
  .map(
    (f) =>
      `<li><a href="${openDataPath}/${escapeHtml(f.name)}">${escapeHtml(f.name)}</a> — ${escapeHtml(f.title.es)} · <span lang="en">${escapeHtml(f.title.en)}</span></li>`,
  )
  .join('\n')}
<li><a href="${openDataPath}">Índice de archivos · <span lang="en">Index of the files</span></a></li>
</ul>
</main>
<footer><p>Licencia · <span lang="en">Licence</span>: <a href="${escapeHtml(license.url)}">${escapeHtml(license.name)}</a>. Fuente: Conecta — Sistema Nacional de Competencias.</p></footer>
</body>
</html>
`;
}

/** The page of an identifier nothing publishes (404), in both languages. */
function notFoundPage(path: string, openDataPath: string): string {
  return `<!doctype html>
<html lang="es">
<head><meta charset="utf-8"><title>No encontrado · Not found — Conecta</title></head>
<body>
<h1>No encontrado · <span lang="en">Not found</span></h1>
<p>Ningún archivo de datos abiertos publica <code>${escapeHtml(path)}</code>.</p>
<p lang="en">No open-data file publishes <code>${escapeHtml(path)}</code>.</p>
<p><a href="${openDataPath}">Datos abiertos de Conecta · <span lang="en">Conecta open data</span></a></p>
</body>
</html>
`;
}

/** Anything that charges a request to its client address (the /graphql budget). */
interface IpBudget {
  consumeIp(ip: string): Promise<number | undefined>;
}

const noneMatch = (header: string | undefined, etag: string): boolean =>
  !!header &&
  header
    .split(',')
    .some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);

/**
 * Keeps the JSON-LD files' nodes indexed: each call revalidates every file
 * with its service (If-None-Match: an unchanged file is a 304 without a
 * body) and re-indexes only when one changed, so an identifier is exactly
 * as fresh as the file it comes from. Concurrent calls share one round. A
 * file whose service does not answer keeps its last copy (logged); with no
 * copy at all the call fails.
 */
function createResourceIndexer(
  files: ReadonlyArray<OpenDataFileRef & { upstream: FileUpstream }>,
  logger: Logger,
) {
  const loaded = new Map<string, LoadedFile>();
  let index: ResourceIndex = indexResources([]);
  let round: Promise<ResourceIndex> | null = null;

  async function revalidate(
    file: OpenDataFileRef & { upstream: FileUpstream },
  ): Promise<boolean> {
    const last = loaded.get(file.name);
    try {
      const response = await fetch(file.upstream.url, {
        headers: last?.etag ? { 'if-none-match': last.etag } : {},
        signal: AbortSignal.timeout(file.upstream.timeoutMs),
      });
      if (response.status === 304 && last) return false;
      if (!response.ok)
        throw new Error(
          `${file.name}: its service answered ${response.status}`,
        );
      const document = (await response.json()) as {
        '@context'?: unknown;
        '@graph'?: ResourceNode[];
      };
      loaded.set(file.name, {
        name: file.name,
        service: file.service,
        etag: response.headers.get('etag'),
        lastModified: response.headers.get('last-modified'),
        cacheControl: response.headers.get('cache-control'),
        context: document['@context'],
        nodes: Array.isArray(document['@graph']) ? document['@graph'] : [],
      });
      return true;
    } catch (err) {
      if (!last) throw err;
      logger.warn(
        { err, file: file.name },
        'open data ids: serving the last copy',
      );
      return false;
    }
  }

  return {
    /** The index as of now (every file revalidated). */
    current(): Promise<ResourceIndex> {
      round ??= (async () => {
        try {
          const changed = await Promise.all(files.map(revalidate));
          if (changed.some(Boolean))
            index = indexResources([...loaded.values()]);
          return index;
        } finally {
          round = null;
        }
      })();
      return round;
    },
  };
}

/**
 * `GET`/`HEAD /id/…`: the resource an open-data identifier names, from the
 * JSON-LD files as published (nothing else is read: only public data). By
 * content negotiation — `application/ld+json` (or `application/json`, or
 * any) its CTDL node with the file's `@context`, `text/html` a small page
 * in Spanish and English — with `Vary: Accept`, a strong ETag of the bytes
 * (304 on If-None-Match), the file's Last-Modified and Cache-Control. An
 * identifier no file publishes is 404; an Accept neither satisfies is 406;
 * other methods 405; files unavailable with no copy yet 502 (504 past the
 * timeout). Charged to the client address like /graphql and the files.
 */
export function resourceIdRouter({
  files,
  upstreamOf,
  license,
  openDataPath,
  logger,
  budget,
}: {
  files: readonly OpenDataFileRef[];
  upstreamOf: (name: string) => FileUpstream | undefined;
  license: { name: string; url: string };
  openDataPath: string;
  logger: Logger;
  budget: IpBudget;
}): Router {
  const sources = files.flatMap((file) => {
    const upstream = file.name.endsWith('.jsonld') && upstreamOf(file.name);
    return upstream ? [{ ...file, upstream }] : [];
  });
  const indexer = createResourceIndexer(sources, logger);
  const router = express.Router();
  router.use(RESOURCE_ID_PATH, async (req: Request, res: Response) => {
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
    res.set('Vary', 'Accept');
    const type = req.accepts([
      'application/ld+json',
      'application/json',
      'text/html',
    ]);
    if (!type) {
      res.status(406).json({
        error: 'not acceptable',
        acceptable: ['application/ld+json', 'text/html'],
      });
      return;
    }
    const html = type === 'text/html';
    const path = `${RESOURCE_ID_PATH}${req.path}`.replace(/\/+$/, '');
    let index: ResourceIndex;
    try {
      index = await indexer.current();
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      logger.warn({ err, path }, 'open data ids unavailable');
      res.status(timedOut ? 504 : 502).json({ error: 'service unavailable' });
      return;
    }
    const resource = index.byPath.get(path);
    if (!resource) {
      res.status(404);
      if (html)
        res
          .type('text/html; charset=utf-8')
          .send(notFoundPage(path, openDataPath));
      else res.json({ error: 'not found' });
      return;
    }
    const body = html
      ? resourcePage(path, resource, index, files, license, openDataPath)
      : JSON.stringify({
          '@context': resource.file.context,
          ...resource.node,
        });
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    res.set({
      'Content-Type': html ? 'text/html; charset=utf-8' : 'application/ld+json',
      ETag: etag,
      'Cache-Control': resource.cacheControl ?? DEFAULT_CACHE_CONTROL,
      ...(resource.lastModified && { 'Last-Modified': resource.lastModified }),
      Link: `<${openDataPath}/${resource.file.name}>; rel="describedby"; type="application/ld+json"`,
    });
    if (noneMatch(req.get('If-None-Match'), etag)) {
      res.status(304).end();
      return;
    }
    // Bytes, so express adds no charset to application/ld+json (as the files).
    res.send(Buffer.from(body));
  });
  return router;
}
