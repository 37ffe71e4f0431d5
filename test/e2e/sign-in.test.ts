import { afterEach, describe, expect, it } from 'vitest';
import {
  accountMenu,
  alertText,
  confirmLogout,
  expectHome,
  expectLoginForm,
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

describe('first run and signing in', () => {
  it('first run: creates the administrator and lands on Home, signed in', async () => {
    h = await startE2E();
    const page = await h.openTab();
    await visible(page.getByRole('heading', { name: 'Create the administrator account' }));
    await page.getByRole('textbox', { name: 'Username' }).fill('ada');
    await page.getByRole('textbox', { name: 'Display name' }).fill('Ada Lovelace');
    await passwordField(page, 'Password').fill(E2E_PASSWORD);
    await passwordField(page, 'Confirm password').fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectHome(page, 'Ada Lovelace');
    // The core agrees: this tab holds one session, of the new superuser.
    const [sender] = h.preview.senders() as [number];
    expect(h.preview.core.profilesOf(sender).map((p) => p.username)).toEqual(['ada']);
  });

  it('signs out through the Account menu, refuses a wrong password in words, then signs in', async () => {
    h = await startE2E();
    await h.seed([{ username: 'ada', displayName: 'Ada Lovelace' }]);
    const page = await h.openTab();
    await signIn(page, 'ada', E2E_PASSWORD);
    await expectHome(page, 'Ada Lovelace');

    await accountMenu(page, 'Log Out');
    await confirmLogout(page);
    await expectLoginForm(page);
    const [sender] = h.preview.senders() as [number];
    await expect.poll(() => h?.preview.core.profilesOf(sender).length).toBe(0);

    await signIn(page, 'ada', 'not the password at all');
    const message = await alertText(page);
    expect(message).toContain('That username, email or password is not right');
    expect(message).not.toMatch(/INVALID_CREDENTIALS/);
    await expect.poll(() => passwordField(page).inputValue()).toBe('');
    await passwordField(page).fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectHome(page, 'Ada Lovelace');
  });

  it('throttling: a live countdown on the button, refused until it ends, then signs in', async () => {
    h = await startE2E({ settings: { loginMaxFailures: 2 } });
    await h.seed([{ username: 'ada', displayName: 'Ada Lovelace' }]);
    const page = await h.openTab();
    // After each refusal the form empties the password field: wait for that, so the next
    // attempt is not typed into a field the previous answer is about to clear.
    const refused = () => expect.poll(() => passwordField(page).inputValue()).toBe('');
    await signIn(page, 'ada', 'wrong guess number one');
    await visible(page.getByRole('alert'));
    await refused();
    await passwordField(page).fill('wrong guess number two');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await refused();
    await passwordField(page).fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    // THROTTLED: the button turns into "Try again in 0:30", disabled, and counts down.
    const countdown = await visible(page.getByRole('button', { name: /^Try again in 0:[0-5]\d$/ }));
    expect(await countdown.isDisabled()).toBe(true);
    await h.advance(10_000);
    await visible(page.getByRole('button', { name: /^Try again in 0:(1\d|20)$/ }));
    // The core refuses too, even with the right password, until the time is up.
    const early = await h.preview.core.dispatch(999, 'auth:login', { username: 'ada', password: E2E_PASSWORD });
    expect(early).toMatchObject({ ok: false, error: { code: 'THROTTLED' } });

    await h.advance(21_000);
    const button = await visible(page.getByRole('button', { name: 'Sign in', exact: true }));
    expect(await button.isEnabled()).toBe(true);
    await passwordField(page).fill(E2E_PASSWORD);
    await button.click();
    await expectHome(page, 'Ada Lovelace');
  });

  it('zh-CN: the login screen speaks Chinese', async () => {
    h = await startE2E();
    await h.seed([{ username: 'ada' }]);
    const page = await h.openTab({ locale: 'zh-CN' });
    await visible(page.getByRole('button', { name: '登录', exact: true }));
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const text = await page.getByRole('main').innerText();
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(text).not.toContain('Sign in');
    expect(text).not.toContain('Password');
  });
});
