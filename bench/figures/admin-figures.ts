import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PasswordHasher } from '../../electron/core/auth/password-hasher';
import { MemoryKeychain } from '../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../electron/core/log';
import { startPreview, type PreviewServer } from '../../preview/preview-server';
import { RENDERER_OUT, ensureRendererBuild } from '../../preview/renderer-build';
import { launchChromium } from '../../test/e2e/support/chromium';
import { type BenchConfig, seedUsers, usernameOf } from '../fixtures';
import { type Figure, median } from '../measure';

/**
 * The admin console's figure (issue 10), in headless Chromium against the browser
 * preview, with the real production build and the real core:
 *
 * - admin_users_search_10k: the Users view over cfg.users people (10,000 in a full run)
 *   plus the administrator; a username is typed into the search box one key at a time
 *   (30 ms apart, so the console's coalescing of requests while typing is exercised);
 *   measured in the page from the last keystroke's input event to the table showing
 *   exactly that one user, one animation frame later. Median over the samples.
 *
 * Smoke mode runs the same steps over the smoke population with three samples.
 */

export const ADMIN_FIGURE_NAMES = ['admin_users_search_10k'] as const;

const PASSWORD = 'amber koala sings at dawn 7';
const SENDER = 2 ** 31 - 3;
const SAMPLES: Record<BenchConfig['mode'], number> = { full: 15, smoke: 3 };

/** Resolves with ms from the last `input` event whose value is `query` to a table of exactly `username`. */
function inputToResult(page: Page, query: string, username: string): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const box = document.querySelector('input[type="search"]');
    let t0 = null;
    box.addEventListener('input', () => { t0 = box.value === ${JSON.stringify(query)} ? performance.now() : null; check(); });
    const done = () => {
      const rows = [...document.querySelectorAll('table tbody tr')];
      return rows.length === 1 && rows[0].querySelector('td').textContent.endsWith(${JSON.stringify(username)});
    };
    const mo = new MutationObserver(() => check());
    function check() {
      if (t0 === null || !done()) return;
      mo.disconnect();
      const start = t0;
      requestAnimationFrame(() => resolve(performance.now() - start));
    }
    mo.observe(document, { subtree: true, childList: true, characterData: true });
  })`) as Promise<number>;
}

export async function adminFigures(cfg: BenchConfig): Promise<Figure[]> {
  ensureRendererBuild();
  const dataDir = mkdtempSync(join(tmpdir(), 'accounts-admin-bench-'));
  const start = () =>
    startPreview({
      dataDir,
      rendererDir: RENDERER_OUT,
      settings: { bcryptCost: cfg.bcryptCost },
      core: { keychain: new MemoryKeychain(), logger: silentLogger },
    });
  let preview: PreviewServer | null = null;
  let browser: Browser | null = null;
  try {
    // The administrator through the app's own set-up, then the population straight into
    // the database while the server is stopped (10,000 bcrypt hashes would take minutes).
    preview = await start();
    const setup = await preview.core.dispatch(SENDER, 'setup:create-admin', { username: 'admin', password: PASSWORD });
    if (!setup.ok) throw new Error(`admin bench: set-up failed: ${setup.error.code}`);
    await preview.close();
    preview = null;
    seedUsers(dataDir, cfg.users, await new PasswordHasher({ cost: 4 }).hash(PASSWORD), Date.now());
    preview = await start();

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
    const page = await context.newPage();
    await page.goto(preview.url);
    await page.getByRole('textbox', { name: 'Username or email' }).fill('admin');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Admin console' }).click();
    const box = page.getByRole('searchbox', { name: 'Search users' });
    await box.waitFor();
    const everyone = `${(cfg.users + 1).toLocaleString('en')} users`;
    await page.getByText(everyone).waitFor();

    const samples: number[] = [];
    const count = SAMPLES[cfg.mode];
    for (let i = 0; i < count; i++) {
      // Spread over the population: early, middle and late rows of the table.
      const username = usernameOf(Math.floor(((i + 0.5) * cfg.users) / count));
      await box.fill('');
      await page.getByText(everyone).waitFor();
      const measured = inputToResult(page, username, username);
      await box.pressSequentially(username, { delay: 30 });
      samples.push(await measured);
    }
    await context.close();
    return [
      {
        name: 'admin_users_search_10k',
        value: median(samples),
        unit: 'ms',
        details: `median of ${samples.length}: last keystroke to the one matching row, ${cfg.users + 1} users, min ${Math.min(...samples).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms`,
        target: { op: '<', value: 100, unit: 'ms' },
      },
    ];
  } finally {
    await browser?.close();
    await preview?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
