/**
 * Headless Debian Chromium for browser tests, driven by playwright-core (which downloads no browser).
 *
 *   describe.skipIf(!hasChromium)(`... (${CHROMIUM_MISSING})`, () => { ... launchBrowser() ... });
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, LaunchOptions, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
export const CHROMIUM_MISSING = `skipped: ${CHROMIUM_PATH} not found (apt-get install chromium, or set CHROMIUM_PATH)`;

/** Flags that keep Chromium from talking to anything but the pages a test opens. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

export interface PageRecord {
  /** Every URL the page requested, in order. */
  requests: string[];
  /** console.error messages (Chromium also reports failed loads and CSP violations here). */
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
}

/** Starts recording a page's requests and errors; attach before the first navigation. */
export function recordPage(page: Page): PageRecord {
  const record: PageRecord = { requests: [], consoleErrors: [], pageErrors: [] };
  page.on('request', (request) => record.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') record.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => record.pageErrors.push(String(error)));
  return record;
}

/** Requests that left the machine: anything not to 127.0.0.1/localhost/::1, nor data:/blob:/about:. */
export function externalRequests(urls: readonly string[]): string[] {
  return urls.filter((raw) => {
    const url = new URL(raw);
    if (['data:', 'blob:', 'about:'].includes(url.protocol)) return false;
    return !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  });
}

/** Replaces the query in GraphiQL's editor by typing, as a person would. */
export async function typeQuery(page: Page, query: string): Promise<void> {
  const editor = page.locator('.graphiql-query-editor .CodeMirror');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(query);
  await page.keyboard.press('Escape'); // close the completion popup, if any
}

export async function queryEditorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.querySelector<Element & { CodeMirror?: { getValue(): string } }>('.graphiql-query-editor .CodeMirror');
    return element?.CodeMirror?.getValue() ?? '';
  });
}

export async function responseText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.querySelector<Element & { CodeMirror?: { getValue(): string } }>('.graphiql-response .CodeMirror');
    return element?.CodeMirror?.getValue() ?? '';
  });
}
