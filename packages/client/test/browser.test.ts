import { fileURLToPath } from 'node:url';
import { parseConfig, type RunningServer } from '@muster/server';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageReport } from './browser/page.js';
import { findChromium } from './support/find-chromium.js';
import { type StaticServer, startStaticServer } from './support/static-server.js';
import { startTestServer } from './support/test-server.js';

const TOKEN = 'browser-test-token';
const chromiumPath = findChromium();

/** The page script, bundled as a web app's bundler would: browser platform, ESM, one file. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./browser/page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome110',
    // The workspace's TypeScript sources, as in every other test: nothing needs building.
    conditions: ['@muster/source'],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no bundle');
  return output.text;
}

describe.skipIf(chromiumPath === undefined)('the client in Chromium, cross-origin', () => {
  let app: StaticServer;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const script = await bundlePage();
    app = await startStaticServer({
      '/': {
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><title>muster browser test</title><script type="module" src="/page.js"></script>',
      },
      '/page.js': { contentType: 'text/javascript; charset=utf-8', body: script },
    });
    // In memory, with an API key (so the Authorization header crosses origins too) and CORS
    // granted to the page's origin only.
    const config = parseConfig(
      `
server:
  cors: { allowed_origins: ["${app.origin}"] }
auth:
  keys: [{ name: browser, token_env: BROWSER_TOKEN, scopes: [admin] }]
namespaces: [{ name: default }]
`,
      'browser-test.yaml',
    );
    server = await startTestServer({ config, env: { BROWSER_TOKEN: TOKEN } });
    // Debian's Chromium, never a Playwright download (defined here: the suite is skipped otherwise).
    browser = await chromium.launch({ executablePath: chromiumPath! });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  /** Opens the page and runs its script against the server; an uncaught page error fails. */
  async function runPage(namespace: string): Promise<PageReport> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(`${app.origin}/`);
      await page.waitForFunction(() => globalThis.musterPageRun !== undefined);
      const report = await page.evaluate((run) => globalThis.musterPageRun!(run), {
        baseUrl: server.url,
        token: TOKEN,
        namespace,
      });
      expect(errors).toEqual([]);
      return report;
    } finally {
      await page.close();
    }
  }

  it('registers, enumerates, subscribes, receives a multicast and sees Muster errors', async () => {
    const report = await runPage('default');
    // Really another origin than the server's, in a real Chromium.
    expect(report.pageOrigin).toBe(app.origin);
    expect(new URL(server.url).origin).not.toBe(report.pageOrigin);
    expect(report.userAgent).toMatch(/Chrom/);

    expect(report.registered).toEqual(['tab-1', 'tab-2', 'tab-3']);
    expect(report.enumerated).toEqual(['tab-1', 'tab-2']);
    expect(report.deliveries).toEqual([{ identity: 'tab-1', status: 'DELIVERED' }]);
    expect(report.received).toEqual({
      identity: 'tab-1',
      text: 'hello from another origin',
      contentType: 'text/plain; charset=utf-8',
    });

    expect(report.duplicate).toMatchObject({ isMusterError: true, code: 'ALREADY_EXISTS' });
    expect(report.badFilter).toMatchObject({
      isMusterError: true,
      code: 'INVALID_FILTER',
      details: { location: { line: 1, column: 4 } },
    });
    expect(report.noToken).toMatchObject({ isMusterError: true, code: 'UNAUTHENTICATED' });
    // Readable by the page only because the server exposes it.
    expect(report.errorCodeHeader).toBe('NOT_FOUND');
  });

  it('is refused by the browser from an origin the server does not list', async () => {
    const other = await startStaticServer({
      '/': { contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>other</title>' },
    });
    const page = await browser.newPage();
    try {
      await page.goto(`${other.origin}/`);
      // The same call the client makes, from a page the server grants nothing: the browser
      // blocks the response, which fetch reports as a TypeError.
      const outcome = await page.evaluate(async (baseUrl) => {
        try {
          await fetch(`${baseUrl}/muster.v1.RegistryService/Get`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'connect-protocol-version': '1' },
            body: JSON.stringify({ namespace: 'default', identity: 'tab-1' }),
          });
          return 'allowed';
        } catch (error) {
          return (error as Error).name;
        }
      }, server.url);
      expect(outcome).toBe('TypeError');
    } finally {
      await page.close();
      await other.close();
    }
  });
});
