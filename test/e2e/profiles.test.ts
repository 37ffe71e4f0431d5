import { afterEach, describe, expect, it } from 'vitest';
import {
  chooseInSwitcher,
  expectHome,
  expectLoginForm,
  openSwitcher,
  passwordField,
  signIn,
  visible,
} from './support/app-steps';
import { E2E_PASSWORD, startE2E, type E2E } from './support/preview-harness';

let h: E2E | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ACCOUNTS = [
  { username: 'ada', displayName: 'Ada Lovelace' },
  { username: 'grace', displayName: 'Grace Hopper' },
];

/** One tab, signed in as Ada, then Grace added through "Add profile…". */
async function twoProfiles(e2e: E2E) {
  await e2e.seed(ACCOUNTS);
  const page = await e2e.openTab();
  await signIn(page, 'ada', E2E_PASSWORD);
  await expectHome(page, 'Ada Lovelace');
  await chooseInSwitcher(page, 'Add profile…');
  await expectLoginForm(page);
  await signIn(page, 'grace', E2E_PASSWORD);
  await expectHome(page, 'Grace Hopper');
  const [sender] = e2e.preview.senders() as [number];
  expect(e2e.preview.core.profilesOf(sender).map((p) => p.username)).toEqual(['ada', 'grace']);
  return { page, sender };
}

describe('several profiles in one window', () => {
  it('switches back and forth without a password, each profile keeping its screen', async () => {
    h = await startE2E();
    const { page, sender } = await twoProfiles(h);
    // Grace goes to her settings; Ada stays on Home.
    await page.getByRole('link', { name: 'Account settings' }).or(page.getByRole('button', { name: 'Account settings' })).first().click();
    await visible(page.getByRole('heading', { name: 'Account settings' }));

    await chooseInSwitcher(page, /Ada Lovelace/);
    await expectHome(page, 'Ada Lovelace');
    expect(await passwordField(page).count()).toBe(0);
    await expect.poll(() => h?.preview.core.activeProfileOf(sender)).toBe(h?.preview.core.profilesOf(sender)[0]?.handle);

    await chooseInSwitcher(page, /Grace Hopper/);
    await visible(page.getByRole('heading', { name: 'Account settings' }));
    await expect.poll(() => h?.preview.core.activeProfileOf(sender)).toBe(h?.preview.core.profilesOf(sender)[1]?.handle);

    await chooseInSwitcher(page, /Ada Lovelace/);
    await expectHome(page, 'Ada Lovelace');
    // Nobody signed in again: still the same two sessions.
    expect(h.preview.core.profilesOf(sender).map((p) => p.username)).toEqual(['ada', 'grace']);
  });

  it('idle expiry ends one profile with its reason while the other, kept active, survives', async () => {
    h = await startE2E({ settings: { sessionIdleTimeoutMs: 60_000, sessionAbsoluteTimeoutMs: 3_600_000 } });
    const { page, sender } = await twoProfiles(h);
    // Grace is active and the user keeps using the window; Ada idles in the background.
    for (let i = 0; i < 3; i++) {
      await h.advance(31_000);
      await page.mouse.move(200 + i * 10, 300);
      await page.keyboard.press('Shift');
      await expect.poll(() => h?.preview.core.profilesOf(sender).some((p) => p.username === 'grace')).toBe(true);
    }
    await h.advance(1_000);
    await expect.poll(() => h?.preview.core.profilesOf(sender).map((p) => p.username)).toEqual(['grace']);
    await expectHome(page, 'Grace Hopper');
    // Ada stays listed, signed out, with the reason in words.
    const menu = await openSwitcher(page);
    const ada = menu.getByRole('menuitem', { name: /Ada Lovelace/ }).or(menu.getByRole('menuitemradio', { name: /Ada Lovelace/ }));
    await visible(ada);
    expect(await menu.innerText()).toMatch(/Signed out/);
    await page.keyboard.press('Escape');
    await chooseInSwitcher(page, /Ada Lovelace/);
    const notice = await visible(page.getByText(/Ada Lovelace was signed out after 1 minutes? of inactivity/));
    expect(await notice.isVisible()).toBe(true);
  });

  it('locks (switcher, then the Account menu shortcut) and unlocks with the password', async () => {
    h = await startE2E();
    await h.seed(ACCOUNTS);
    const page = await h.openTab();
    await signIn(page, 'ada', E2E_PASSWORD);
    await expectHome(page, 'Ada Lovelace');
    await chooseInSwitcher(page, 'Lock');
    await visible(page.getByRole('heading', { name: 'Ada Lovelace is locked' }));
    const [sender] = h.preview.senders() as [number];
    expect(h.preview.core.profilesOf(sender)[0]?.locked).toBe(true);

    await passwordField(page).fill('not my password');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await visible(page.getByRole('alert'));
    await passwordField(page).fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expectHome(page, 'Ada Lovelace');
    expect(h.preview.core.profilesOf(sender)[0]?.locked).toBe(false);

    // The Account menu's shortcut (Ctrl+L) does what the in-window "Lock" does.
    await page.keyboard.press('Control+L');
    await visible(page.getByRole('heading', { name: 'Ada Lovelace is locked' }));
    expect(h.preview.core.profilesOf(sender)[0]?.locked).toBe(true);
    await passwordField(page).fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expectHome(page, 'Ada Lovelace');
  });
});
