import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Steps every scenario shares, written with roles and accessible names only (never
 * CSS classes): what a screen-reader user or a keyboard user would find. The words
 * are the English ones of renderer/src/i18n/locales/en.
 */

/** Waits until the locator is visible (Playwright's own auto-waiting, bounded). */
export async function visible(locator: Locator, timeout = 10_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator.first();
}

export function passwordField(page: Page, label = 'Password'): Locator {
  return page.getByLabel(label, { exact: true });
}

export async function signIn(page: Page, username: string, password: string, options: { remember?: boolean } = {}): Promise<void> {
  await (await visible(page.getByRole('textbox', { name: 'Username or email' }))).fill(username);
  await passwordField(page).fill(password);
  if (options.remember) await page.getByRole('checkbox', { name: /Stay signed in on this computer/ }).check();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Home of the profile named `name` is showing. */
export async function expectHome(page: Page, name: string): Promise<void> {
  await visible(page.getByRole('heading', { name: `Hello, ${name}` }));
}

/** The avatar button that opens the profile switcher. */
export function switcherButton(page: Page): Locator {
  return page.getByRole('button', { name: /^Profiles: / });
}

export async function openSwitcher(page: Page): Promise<Locator> {
  await switcherButton(page).click();
  return visible(page.getByRole('menu'));
}

/** Chooses an item of the switcher by its accessible name. */
export async function chooseInSwitcher(page: Page, name: string | RegExp): Promise<void> {
  const menu = await openSwitcher(page);
  await menu.getByRole('menuitem', { name }).or(menu.getByRole('menuitemradio', { name })).first().click();
}

/** Chooses an item of the preview's Account menubar (the native menu's stand-in). */
export async function accountMenu(page: Page, item: string): Promise<void> {
  await page.getByRole('menubar').getByRole('menuitem', { name: 'Account' }).click();
  await page.getByRole('menubar').getByRole('menuitem', { name: item, exact: true }).click();
}

/**
 * Finishes a log-out: confirms the dialog when the app asks (a remembered profile is
 * offered "Also forget this computer"), else the app has already logged out.
 */
export async function confirmLogout(page: Page, options: { forget?: boolean } = {}): Promise<void> {
  const dialog = page.getByRole('dialog').or(page.getByRole('alertdialog'));
  await visible(dialog.or(page.getByRole('button', { name: 'Sign in', exact: true })));
  if ((await dialog.count()) === 0) return;
  if (options.forget) await dialog.getByRole('checkbox', { name: 'Also forget this computer' }).check();
  await dialog.getByRole('button', { name: 'Log out', exact: true }).click();
}

export async function expectLoginForm(page: Page): Promise<void> {
  await visible(page.getByRole('button', { name: 'Sign in', exact: true }));
}

export async function alertText(page: Page): Promise<string> {
  return (await visible(page.getByRole('alert'))).innerText();
}

export function expectNoAlert(page: Page): Promise<void> {
  return expect.poll(() => page.getByRole('alert').count()).toBe(0);
}
