import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

/** The URL path the universities' dashboard is served at. */
export const DASHBOARD_PATH = '/dashboard';

/**
 * The built dashboard (`@conecta/dashboard`'s dist/), or undefined when it has
 * not been built.
 */
export function dashboardDirectory(): string | undefined {
  try {
    const dir = join(
      dirname(require.resolve('@conecta/dashboard/package.json')),
      'dist',
    );
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

// The page loads only its own files and talks only to this origin's /graphql.
// Inline styles: ECharts positions its tooltips and SVG with style attributes.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  // The token travels in the URL fragment, which is never sent; nor is the page's URL.
  res.setHeader('referrer-policy', 'no-referrer');
  next();
};

/**
 * The dashboard's static files (express.static), mounted at DASHBOARD_PATH on
 * the public port: same origin as /graphql, so the page needs no CORS. It
 * keeps nothing on the server: the page sends the caller's token to /graphql
 * like any client. Without a build it answers 404 saying how to build it.
 */
export function dashboardRouter(dir: string | undefined): Router {
  const router = express.Router();
  router.use(securityHeaders);
  // `/dashboard` → `/dashboard/`, so the page's relative URLs resolve under it.
  router.use((req, res, next) => {
    if (req.originalUrl.split('?')[0] === req.baseUrl)
      res.redirect(301, `${req.baseUrl}/`);
    else next();
  });
  if (!dir) {
    router.use((_req, res) => {
      res
        .status(404)
        .type('text/plain')
        .send(
          'The dashboard is not built: run `npm run build -w @conecta/dashboard`.\n',
        );
    });
    return router;
  }
  // Vite names assets by content hash: cache them for good; never the page.
  router.use(
    '/assets',
    express.static(join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  router.use(
    express.static(dir, {
      index: 'index.html',
      maxAge: 0,
      setHeaders: (res) => res.setHeader('cache-control', 'no-cache'),
    }),
  );
  return router;
}
