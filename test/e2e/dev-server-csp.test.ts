import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererRoot } from '../../renderer/vite.config';
import { launchChromium } from './support/chromium';

/**
 * `npm run dev` (vite serve) under the page's own CSP meta, widened only by the
 * dev-CSP plugin: React mounts, the React Refresh preamble runs, the HMR socket
 * connects and dev CSS applies, with no CSP violation in the console.
 * The page gets a stand-in `window.accounts` (the preload's place) that fails
 * every call, which is enough for the App to render its first screen.
 */
describe('renderer dev server (hot reload) under the CSP', () => {
  let server: ViteDevServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await createServer({
      configFile: join(rendererRoot, 'vite.config.ts'),
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await server.listen();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('mounts React with the refresh preamble and HMR, and reports no CSP violation', async () => {
    const url = server.resolvedUrls?.local[0];
    expect(url).toBeTruthy();
    const page = await browser.newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    // Page-side code as strings: this file is type-checked for Node, without the DOM lib.
    await page.addInitScript({
      content: `
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
        window.accounts = {
          invoke: () => Promise.resolve({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'dev-server test' } }),
          on: () => () => undefined,
        };`,
    });
    await page.goto(url ?? '');
    await page.waitForFunction("(document.getElementById('root')?.childElementCount ?? 0) > 0", undefined, { timeout: 20_000 });
    // The Vite client logs "[vite] connected." once the HMR WebSocket is open.
    await expect.poll(() => console.some((line) => line.includes('[vite] connected')), { timeout: 10_000 }).toBe(true);
    const facts = (await page.evaluate(`({
      violations: window.__violations,
      refresh: typeof window.$RefreshSig$,
      styles: document.querySelectorAll('style').length,
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
    })`)) as { violations: string[]; refresh: string; styles: number; csp: string };
    expect(facts.violations).toEqual([]);
    // (Chromium's note that frame-ancestors is ignored in a <meta> CSP is not a violation.)
    expect(console.filter((line) => /Refused to|violates the following Content Security Policy/i.test(line))).toEqual([]);
    expect(facts.refresh).toBe('function');
    expect(facts.styles).toBeGreaterThan(0);
    expect(facts.csp).toMatch(/script-src 'self' 'sha256-/);
    await page.close();
  });
});
