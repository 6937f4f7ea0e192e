/**
 * Serves GraphiQL from the facade itself: the page at `GET /` and at `GET <endpoint>` for browsers
 * (Accept prefers text/html), and its two bundled assets. The page loads nothing but these assets and
 * the GraphQL endpoint, and its Content-Security-Policy enforces that.
 *
 *   app.use(graphiqlRouter({ endpoint: '/graphql', simulator: true }));   // before the Apollo middleware
 */
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { buildGraphiqlAssets } from './bundle.js';

export interface GraphiqlRouterOptions {
  /** Path (or absolute URL) of the GraphQL endpoint, e.g. '/graphql'. */
  endpoint: string;
  /** Page title; default 'AMPECO GraphQL'. */
  title?: string;
  /** The facade runs against the simulator: pre-fill `Authorization: Bearer sim-token`. */
  simulator?: boolean;
}

export const GRAPHIQL_JS_PATH = '/graphiql/app.js';
export const GRAPHIQL_CSS_PATH = '/graphiql/app.css';

/** Layout for the page itself (the GraphiQL stylesheet sizes the editor, not the document). */
const PAGE_CSS = 'html,body{height:100%;margin:0;overflow:hidden}#graphiql{height:100dvh}';

const gzip = promisify(gzipCallback);

interface Asset {
  body: Buffer;
  /** The same bytes gzipped once (the bundle is ~1.8 MB, ~0.7 MB gzipped). */
  gzipped: Buffer;
  hash: string;
  etag: string;
}

interface HashedAssets {
  js: Asset;
  css: Asset;
}

let hashed: Promise<HashedAssets> | undefined;

function hashedAssets(): Promise<HashedAssets> {
  hashed ??= buildGraphiqlAssets()
    .then(async ({ js, css }) => {
      const [jsAsset, cssAsset] = await Promise.all([asset(js), asset(`${css}\n${PAGE_CSS}\n`)]);
      return { js: jsAsset, css: cssAsset };
    })
    .catch((error: unknown) => {
      hashed = undefined;
      throw error;
    });
  return hashed;
}

async function asset(text: string): Promise<Asset> {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  // Weak: the gzipped and plain bytes share it (they are the same resource for caching purposes).
  return { body, gzipped: await gzip(body), hash, etag: `W/"${hash}"` };
}

/**
 * The policy of the page. GraphiQL 4 (CodeMirror 5, React 19) needs no eval and no inline script; its
 * stylesheet carries fonts and icons as data: URLs. Radix dialogs (settings, shortcuts) inject one
 * `<style>` element through react-remove-scroll, which gets the per-response nonce (see app.tsx).
 */
export function graphiqlContentSecurityPolicy(options: { nonce: string; connectSrc?: string[] }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${options.nonce}'`,
    "font-src 'self' data:",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...(options.connectSrc ?? [])].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** JSON that is safe inside a `<script type="application/json">` element (and inside JS string contexts). */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderPage(options: { base: string; title: string; endpoint: string; simulator: boolean; nonce: string; assets: HashedAssets }): string {
  const config = jsonForHtml({ endpoint: options.endpoint, simulator: options.simulator, styleNonce: options.nonce });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${options.base}${GRAPHIQL_CSS_PATH}?v=${options.assets.css.hash}">
<script id="graphiql-config" type="application/json">${config}</script>
<script src="${options.base}${GRAPHIQL_JS_PATH}?v=${options.assets.js.hash}" defer></script>
</head>
<body>
<div id="graphiql"><noscript>GraphiQL needs JavaScript.</noscript></div>
</body>
</html>
`;
}

/** Does the request, as a browser navigation would, prefer an HTML page to a GraphQL response? */
export function prefersHtml(req: Request): boolean {
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

function connectSourcesFor(endpoint: string): string[] {
  try {
    const url = new URL(endpoint); // an absolute endpoint, possibly on another origin: allow it
    return [url.origin];
  } catch {
    return []; // a path: 'self' covers it
  }
}

export function graphiqlRouter(options: GraphiqlRouterOptions): express.Router {
  const router = express.Router({ caseSensitive: true, strict: false });
  const title = options.title ?? 'AMPECO GraphQL';
  const simulator = options.simulator ?? false;
  const connectSrc = connectSourcesFor(options.endpoint);

  async function page(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const assets = await hashedAssets();
      const nonce = randomBytes(16).toString('base64');
      res
        .status(200)
        .set({
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          'Content-Security-Policy': graphiqlContentSecurityPolicy({ nonce, connectSrc }),
          'X-Content-Type-Options': 'nosniff',
          'X-Frame-Options': 'DENY',
          'Referrer-Policy': 'no-referrer',
          'Cross-Origin-Opener-Policy': 'same-origin',
          Vary: 'Accept',
        })
        .send(renderPage({ base: escapeHtml(req.baseUrl), title, endpoint: options.endpoint, simulator, nonce, assets }));
    } catch (error) {
      next(error);
    }
  }

  function serveAsset(kind: 'js' | 'css', contentType: string) {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      try {
        const assets = await hashedAssets();
        const file = assets[kind];
        // A URL naming the current hash never changes: cache it for a year. Anything else revalidates.
        const immutable = req.query.v === file.hash;
        res.set({
          'Content-Type': contentType,
          Vary: 'Accept-Encoding',
          'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          ETag: file.etag,
          'X-Content-Type-Options': 'nosniff',
          'Cross-Origin-Resource-Policy': 'same-origin',
        });
        if (req.fresh) {
          res.status(304).end();
          return;
        }
        const gzipped = req.acceptsEncodings('gzip', 'identity') === 'gzip';
        if (gzipped) res.set('Content-Encoding', 'gzip');
        res.status(200).end(gzipped ? file.gzipped : file.body);
      } catch (error) {
        next(error);
      }
    };
  }

  router.get('/', page);
  if (!connectSrc.length && options.endpoint !== '/') {
    router.get(options.endpoint, (req, res, next) => {
      if (prefersHtml(req)) void page(req, res, next);
      else next();
    });
  }
  router.get(GRAPHIQL_JS_PATH, serveAsset('js', 'text/javascript; charset=utf-8'));
  router.get(GRAPHIQL_CSS_PATH, serveAsset('css', 'text/css; charset=utf-8'));
  return router;
}
