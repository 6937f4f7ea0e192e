/**
 * GraphiQL as a user meets it: `npm start`'s page on the real facade (simulator upstream),
 * opened in headless Chromium, running the default example query against real data.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING, externalRequests, hasChromium, launchBrowser, recordPage, responseText } from './support/browser.js';
import { startStack, type Stack } from './support/stack.js';

describe.skipIf(!hasChromium)(`GraphiQL on the facade${hasChromium ? '' : ` (${CHROMIUM_MISSING})`}`, () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ server: { simulator: true } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('opens at /, runs the example query through the facade and shows AMPECO data, all on localhost', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const record = recordPage(page);
    await page.goto(`${stack.server.url}/`, { waitUntil: 'load' });
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => responseText(page), { timeout: 15_000 }).toContain('"locations"');

    const shown = JSON.parse(await responseText(page)) as { data: { locations: { nodes: { id: string }[] } }; errors?: unknown };
    expect(shown.errors).toBeUndefined();
    const firstLocation = stack.sim.store.list('Location')[0] as { id: number };
    expect(shown.data.locations.nodes[0]?.id).toBe(String(firstLocation.id));
    await page.screenshot({ path: process.env.GRAPHIQL_FACADE_SCREENSHOT ?? '/tmp/graphiql-facade.png' });

    expect(externalRequests(record.requests)).toEqual([]);
    expect(record.pageErrors).toEqual([]);
    await context.close();
  });
});
