import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT, ensureRendererBuild } from '../preview/renderer-build';
import { E2E_PASSWORD, startE2E, type E2E } from '../test/e2e/support/preview-harness';
import { seedAdminWorld, shootAdminViews } from './admin-screenshots';

/**
 * `npm run screenshots`: drives the real app through the browser preview (real core,
 * temporary data folder, headless Chromium) and saves the main screens into
 * docs/screenshots/<screen>-<theme>-<locale>.png: login (with a remembered profile),
 * switcher, lock, home and settings, in light and dark, English and 简体中文.
 * 960 × 640, the app's default window size; the preview's own menubar is cut off.
 *
 * Screens are found by role and accessible name, in each language through the app's
 * own translation files, so a renamed label breaks this script loudly.
 */

const OUT = join(PROJECT_ROOT, 'docs', 'screenshots');
const MENUBAR_HEIGHT = 32;
const WIDTH = 960;
const HEIGHT = 640;

type Locale = 'en' | 'zh-CN';
type Theme = 'light' | 'dark';

const PEOPLE: Record<Locale, { username: string; displayName: string; second: string; secondName: string }> = {
  en: { username: 'ada', displayName: 'Ada Lovelace', second: 'grace', secondName: 'Grace Hopper' },
  'zh-CN': { username: 'wei', displayName: '王伟', second: 'li', secondName: '李娜' },
};

/** The app's words: renderer/src/i18n/locales/<locale>/<ns>.json, `{{x}}` filled from vars. */
function t(locale: Locale, ns: string, key: string, vars: Record<string, string> = {}): string {
  const file = join(PROJECT_ROOT, 'renderer', 'src', 'i18n', 'locales', locale, `${ns}.json`);
  let node: unknown = JSON.parse(readFileSync(file, 'utf8'));
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`screenshots: no string ${locale}/${ns}:${key}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.waitForTimeout(250); // let transitions (at most 150 ms) settle
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, clip: { x: 0, y: MENUBAR_HEIGHT, width: WIDTH, height: HEIGHT } });
  process.stdout.write(`saved ${path}\n`);
}

async function signIn(page: Page, locale: Locale, username: string, remember: boolean): Promise<void> {
  await page.getByRole('textbox', { name: t(locale, 'auth', 'login.identifier') }).fill(username);
  await page.getByLabel(t(locale, 'auth', 'login.password'), { exact: true }).fill(E2E_PASSWORD);
  if (remember) await page.getByRole('checkbox', { name: t(locale, 'auth', 'login.remember') }).check();
  await page.getByRole('button', { name: t(locale, 'auth', 'login.submit'), exact: true }).click();
}

async function switcher(page: Page, locale: Locale, name: string): Promise<void> {
  // The avatar button reads "<Profiles>: <name>" (the first part visually hidden).
  const label = new RegExp(`^${escapeRegExp(t(locale, 'common', 'switcher.label'))}\\s*[:：]\\s*${escapeRegExp(name)}$`);
  await page.getByRole('button', { name: label }).click();
  await page.getByRole('menu').waitFor();
}

async function screensFor(h: E2E, locale: Locale, theme: Theme): Promise<void> {
  const p = PEOPLE[locale];
  const suffix = `${theme}-${locale}`;
  const page = await h.openTab({ locale, colorScheme: theme, fakeClock: false });
  const home = (name: string) => page.getByRole('heading', { name: t(locale, 'account', 'home.greeting', { name }) }).waitFor();

  // Remembered on this computer, then the window reloads: login shows the tile and the form.
  await signIn(page, locale, p.username, true);
  await home(p.displayName);
  await page.reload();
  await page.getByRole('button', { name: t(locale, 'auth', 'login.tileSignIn', { name: p.displayName }) }).waitFor();
  await shoot(page, `login-${suffix}`);

  await page.getByRole('button', { name: t(locale, 'auth', 'login.tileSignIn', { name: p.displayName }) }).click();
  await home(p.displayName);
  await shoot(page, `home-${suffix}`);

  // A second profile, then the switcher listing both.
  await switcher(page, locale, p.displayName);
  await page.getByRole('menuitem', { name: t(locale, 'common', 'switcher.addProfile') }).click();
  await signIn(page, locale, p.second, false);
  await home(p.secondName);
  await switcher(page, locale, p.secondName);
  await shoot(page, `switcher-${suffix}`);
  await page.keyboard.press('Escape');

  const settings = t(locale, 'account', 'home.settings');
  await page.getByRole('link', { name: settings }).or(page.getByRole('button', { name: settings })).first().click();
  await page.getByRole('heading', { name: t(locale, 'account', 'settings.title') }).waitFor();
  await shoot(page, `settings-${suffix}`);

  await switcher(page, locale, p.secondName);
  await page.getByRole('menuitem', { name: t(locale, 'common', 'switcher.lock'), exact: true }).click();
  await page.getByRole('heading', { name: t(locale, 'auth', 'lock.title', { name: p.secondName }) }).waitFor();
  await shoot(page, `lock-${suffix}`);
  await page.close();
}

async function main(): Promise<void> {
  ensureRendererBuild((line) => process.stderr.write(`${line}\n`));
  mkdirSync(OUT, { recursive: true });
  const h = await startE2E();
  try {
    await h.seed(
      Object.values(PEOPLE).flatMap((p) => [
        { username: p.username, displayName: p.displayName, isSuperuser: true, isStaff: true },
        { username: p.second, displayName: p.secondName },
      ]),
    );
    await seedAdminWorld(h, PEOPLE.en.username);
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        await screensFor(h, locale, theme);
        await shootAdminViews(h, locale, theme, shoot);
      }
    }
  } finally {
    await h.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshots failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
