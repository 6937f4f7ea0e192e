/**
 * GraphiQL as the facade serves it, in a real (headless Debian) Chromium: the page renders, runs a
 * query against a tiny GraphQL endpoint, logs no errors and requests nothing outside 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { buildSchema, graphql } from 'graphql';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlRouter } from '../src/graphiql/handler.js';
import {
  CHROMIUM_MISSING,
  CHROMIUM_PATH,
  externalRequests,
  hasChromium,
  launchBrowser,
  queryEditorText,
  recordPage,
  responseText,
  typeQuery,
} from './support/browser.js';

const schema = buildSchema(`type Query { hello: String, whoami: String }`);

interface TestApp {
  server: Server;
  origin: string;
  /** Authorization headers the GraphQL endpoint received, in order. */
  authorizations: (string | undefined)[];
}

async function startApp(): Promise<TestApp> {
  const authorizations: (string | undefined)[] = [];
  const app = express();
  app.use('/sim', graphiqlRouter({ endpoint: '/graphql', simulator: true, title: 'Simulator <GraphiQL>' }));
  app.use(graphiqlRouter({ endpoint: '/graphql' }));
  app.get('/graphql', (_req, res) => {
    res.status(400).json({ errors: [{ message: 'test endpoint: POST only' }] });
  });
  app.post('/graphql', express.json(), async (req, res) => {
    const body = req.body as { query?: string; variables?: Record<string, unknown>; operationName?: string };
    authorizations.push(req.get('authorization'));
    const result = await graphql({
      schema,
      source: body.query ?? '',
      variableValues: body.variables ?? null,
      operationName: body.operationName ?? null,
      rootValue: { hello: () => 'world from 127.0.0.1', whoami: () => req.get('authorization') ?? 'anonymous' },
    });
    res.json(result);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, authorizations };
}

/** Replaces the query editor's text by typing it, as a user would. */
describe('GraphiQL page (server side)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await new Promise((resolve) => app.server.close(resolve));
  });

  it('serves the page to browsers at / and at the endpoint, and leaves other GETs to the GraphQL server', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const path of ['/', '/graphql']) {
      const res = await fetch(app.origin + path, { headers: html });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-(eval|inline)|https?:/);
      const body = await res.text();
      expect(body).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(body).toMatch(/<script src="\/graphiql\/app\.js\?v=[\w-]+" defer>/);
    }
    for (const accept of ['application/json', '*/*', 'application/graphql-response+json, application/json;q=0.9']) {
      const res = await fetch(`${app.origin}/graphql`, { headers: { accept } });
      expect(res.status, accept).toBe(400); // the test's own GET handler, i.e. next() was called
    }
  });

  it('serves hashed, long-cached assets and honours If-None-Match', async () => {
    const page = await (await fetch(`${app.origin}/`, { headers: { accept: 'text/html' } })).text();
    const jsUrl = /src="([^"]+app\.js[^"]*)"/.exec(page)?.[1];
    const cssUrl = /href="([^"]+app\.css[^"]*)"/.exec(page)?.[1];
    expect(jsUrl && cssUrl).toBeTruthy();
    for (const [url, type] of [[jsUrl!, 'text/javascript'], [cssUrl!, 'text/css']] as const) {
      const res = await fetch(app.origin + url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('cache-control')).toContain('immutable');
      expect(res.headers.get('content-encoding')).toBe('gzip'); // fetch asked for it (and decodes it)
      const etag = res.headers.get('etag');
      expect(etag).toBeTruthy();
      expect((await res.text()).length).toBeGreaterThan(1000);
      // (as a browser revalidates; undici's fetch would add `cache-control: no-cache`, which forbids a 304)
      const again = await fetch(app.origin + url, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
      expect(again.status).toBe(304);
    }
    const css = await (await fetch(app.origin + cssUrl!)).text();
    expect(css).not.toMatch(/url\(\s*["']?(https?:)?\/\//); // fonts and icons are data: URLs
  });

  it('escapes what it embeds and tells the page about the simulator', async () => {
    const body = await (await fetch(`${app.origin}/sim`, { headers: { accept: 'text/html' } })).text();
    expect(body).toContain('<title>Simulator &#60;GraphiQL&#62;</title>');
    expect(body).toContain('src="/sim/graphiql/app.js?v=');
    const config = /<script id="graphiql-config" type="application\/json">(.*?)<\/script>/s.exec(body)?.[1];
    expect(JSON.parse(config!)).toMatchObject({ endpoint: '/graphql', simulator: true });
  });
});

describe.skipIf(!hasChromium)(`GraphiQL page in Chromium${hasChromium ? '' : ` (${CHROMIUM_MISSING})`}`, () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await new Promise((resolve) => app?.server.close(resolve));
  });

  async function openPage(path: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    const record = recordPage(page);
    await page.goto(app.origin + path, { waitUntil: 'load' });
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ state: 'visible', timeout: 20_000 });
    return { page, record };
  }

  it(`renders, runs a typed query and stays on 127.0.0.1 (${CHROMIUM_PATH})`, async () => {
    const { page, record } = await openPage('/graphql');

    expect(await queryEditorText(page)).toContain('locations(first: 3)'); // the default example query
    // The schema is introspected through the page's fetcher: the docs explorer lists Query's fields.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).first().click();
    await docs.getByText('hello', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();

    await typeQuery(page, '{ hello }');
    expect((await queryEditorText(page)).replace(/\s+/g, ' ').trim()).toBe('{ hello }');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => responseText(page), { timeout: 10_000 }).toContain('world from 127.0.0.1');
    expect(JSON.parse(await responseText(page))).toEqual({ data: { hello: 'world from 127.0.0.1' } });

    // Open and close a dialog too: Radix injects a <style> element, which the CSP must allow.
    await page.getByRole('button', { name: /open settings dialog/i }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT ?? '/tmp/graphiql.png' });

    expect(record.requests.length).toBeGreaterThan(3);
    expect(externalRequests(record.requests)).toEqual([]);
    expect(record.consoleErrors).toEqual([]);
    expect(record.pageErrors).toEqual([]);
  });

  it('pre-fills the simulator bearer token only when the server says so', async () => {
    const plain = await openPage('/');
    await typeQuery(plain.page, '{ whoami }');
    await plain.page.locator('.graphiql-execute-button').click();
    await expect.poll(() => responseText(plain.page), { timeout: 10_000 }).toContain('anonymous');

    const sim = await openPage('/sim');
    await typeQuery(sim.page, '{ whoami }');
    await sim.page.locator('.graphiql-execute-button').click();
    await expect.poll(() => responseText(sim.page), { timeout: 10_000 }).toContain('Bearer sim-token');

    for (const { record } of [plain, sim]) {
      expect(externalRequests(record.requests)).toEqual([]);
      expect(record.consoleErrors).toEqual([]);
      expect(record.pageErrors).toEqual([]);
    }
  });
});
