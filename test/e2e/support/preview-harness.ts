import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Keychain } from '../../../electron/core/keychain/keychain';
import { MemoryKeychain } from '../../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../../electron/core/log';
import type { SettingsInput } from '../../../electron/core/settings';
import { startPreview, type PreviewServer } from '../../../preview/preview-server';
import { RENDERER_OUT } from '../../../preview/renderer-build';
import { launchChromium } from './chromium';
import { ShiftedTime } from './shifted-time';

/**
 * End-to-end harness: the real preview server (in this process, so the test owns its
 * clock) on a temporary data folder, and headless Chromium. The renderer build is
 * made once per run by global-setup.ts.
 *
 * Time: the core reads ShiftedTime (real time + an offset); every browser context gets
 * Playwright's clock. advance(ms) moves both by the same amount and runs what falls
 * due (the sweeper), so idle expiry and throttling take milliseconds, not minutes.
 *
 * Keychain: 'memory' (default) or 'os', the real Secret Service (run the suite under
 * scripts/with-keyring.sh, as CI does).
 */

export const E2E_PASSWORD = 'correct horse battery staple 42';
export const E2E_OTHER_PASSWORD = 'violet umbrella marching slowly';

/** Short timers and cheap bcrypt; each test may override. */
export const E2E_SETTINGS: Partial<SettingsInput> = { bcryptCost: 4, sweepIntervalMs: 1000 };

export interface E2EOptions {
  settings?: Partial<SettingsInput>;
  keychain?: 'memory' | 'os';
}

export interface TabOptions {
  locale?: string;
  colorScheme?: 'light' | 'dark';
  /** Open in this tab's browser context (same cookies, same clock) instead of a new one. */
  besideOf?: Page;
  /** Install Playwright's clock (default true; the bench measures with the real one). */
  fakeClock?: boolean;
}

export interface SeedAccount {
  username: string;
  password?: string;
  displayName?: string;
  isStaff?: boolean;
  isSuperuser?: boolean;
}

export interface E2E {
  readonly preview: PreviewServer;
  readonly time: ShiftedTime;
  readonly browser: Browser;
  readonly dataDir: string;
  /** A new tab (a new sender) on the app, in its own browser context unless besideOf. */
  openTab(options?: TabOptions): Promise<Page>;
  /** Moves server and browser time forward by ms, running what falls due. */
  advance(ms: number): Promise<void>;
  /** Creates the administrator (first account) and the others, through the core's channels. */
  seed(accounts: SeedAccount[]): Promise<void>;
  /** Stops the server (tabs lose their sessions) and starts it again on the same data folder. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const SEED_SENDER = 2 ** 31 - 1;

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accounts-e2e-'));
  const time = new ShiftedTime();
  const keychain: Keychain | undefined = options.keychain === 'os' ? undefined : new MemoryKeychain();
  const settings = { ...E2E_SETTINGS, ...options.settings };
  const start = () =>
    startPreview({
      dataDir,
      rendererDir: RENDERER_OUT,
      settings,
      core: { clock: time, scheduler: time, logger: silentLogger, ...(keychain ? { keychain } : {}) },
    });
  let preview = await start();
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];

  const call = async (channel: string, payload: unknown): Promise<Record<string, unknown>> => {
    const r = await preview.core.dispatch(SEED_SENDER, channel, payload);
    if (!r.ok) throw new Error(`seed: ${channel} failed: ${r.error.code} ${r.error.message}`);
    return r.data as Record<string, unknown>;
  };

  const h: E2E = {
    get preview() {
      return preview;
    },
    time,
    browser,
    dataDir,
    async openTab(tab = {}) {
      let context = tab.besideOf?.context();
      if (!context) {
        context = await browser.newContext({
          locale: tab.locale ?? 'en-US',
          colorScheme: tab.colorScheme ?? 'light',
          viewport: { width: 960, height: 672 },
        });
        if (tab.fakeClock !== false) await context.clock.install();
        contexts.push(context);
      }
      const page = await context.newPage();
      await page.goto(preview.url);
      return page;
    },
    async advance(ms) {
      time.advance(ms);
      for (const c of contexts) await c.clock.fastForward(ms).catch(() => {});
    },
    async seed(accounts) {
      const [first, ...rest] = accounts;
      if (!first) return;
      const admin = await call('setup:create-admin', {
        username: first.username,
        password: first.password ?? E2E_PASSWORD,
        displayName: first.displayName ?? null,
      });
      const sessionId = admin.sessionId as string;
      for (const a of rest) {
        await call('admin:users:create', {
          sessionId,
          username: a.username,
          password: a.password ?? E2E_PASSWORD,
          displayName: a.displayName ?? null,
          isStaff: a.isStaff ?? false,
          isSuperuser: a.isSuperuser ?? false,
          mustChangePassword: false,
        });
      }
      await call('auth:logout', { sessionId });
      await preview.core.senderClosed(SEED_SENDER);
    },
    async restart() {
      await preview.close();
      preview = await start();
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await preview.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}
