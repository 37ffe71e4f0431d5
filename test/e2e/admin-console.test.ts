import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectHome, expectLoginForm, passwordField, signIn, visible } from './support/app-steps';
import { E2E_PASSWORD, startE2E, type E2E } from './support/preview-harness';

/*
 * The admin console end to end, in Chromium through the browser preview, by role and
 * accessible name: sudo prompt on the first change, a group's permissions deciding what
 * a new user sees, no console (and PERMISSION_DENIED) without permissions, an admin-set
 * password sending the user to the change-password screen, and deactivation ending a
 * signed-in user's session in another tab with its reason.
 */

const NEW_PASSWORD = 'quiet lantern over seven hills';
const CHANGE_REQUIRED_TITLE = 'Choose a new password';
let h: E2E;

beforeAll(async () => {
  // Sudo mode lasts 5 minutes; the test steps past it to see the prompt.
  h = await startE2E({ settings: { sudoModeMs: 5 * 60_000 } });
  await h.seed([{ username: 'ada', displayName: 'Ada Lovelace', isSuperuser: true, isStaff: true }, { username: 'plain', displayName: 'Plain Person' }]);
});
afterAll(async () => {
  await h?.close();
});

async function openConsole(page: Page): Promise<void> {
  await (await visible(page.getByRole('button', { name: 'Admin console' }))).click();
  await visible(page.getByRole('navigation', { name: 'Admin sections' }));
}

const section = (page: Page, name: string) => page.getByRole('navigation', { name: 'Admin sections' }).getByRole('button', { name, exact: true });

async function confirmSudo(page: Page, password = E2E_PASSWORD): Promise<void> {
  const sudo = page.getByRole('dialog', { name: 'Confirm your password to continue' });
  await visible(sudo);
  await sudo.getByLabel('Your password').fill(password);
  await sudo.getByRole('button', { name: 'Confirm' }).click();
}

describe('admin console (Chromium, preview)', () => {
  it('creates a group and a user in it after the sudo prompt; that user sees only what the group allows', async () => {
    const admin = await h.openTab();
    await signIn(admin, 'ada', E2E_PASSWORD);
    await expectHome(admin, 'Ada Lovelace');
    await h.advance(6 * 60_000); // past sudo mode: the first change asks for the password
    await openConsole(admin);

    await section(admin, 'Groups').click();
    await admin.getByRole('button', { name: 'New group' }).click();
    const groupDialog = admin.getByRole('dialog', { name: 'New group' });
    await groupDialog.getByLabel(/Group name/).fill('Auditors');
    await groupDialog.getByRole('searchbox').fill('view');
    await groupDialog.getByRole('checkbox', { name: /View the audit log/ }).check();
    await groupDialog.getByRole('checkbox', { name: /View users/ }).check();
    await groupDialog.getByRole('button', { name: 'Create group' }).click();
    await confirmSudo(admin, 'not my password');
    await visible(admin.getByText("That password isn't right. Try again."));
    await confirmSudo(admin);
    await visible(admin.getByText('Group Auditors was created.'));
    await expect.poll(() => groupDialog.count()).toBe(0);

    await section(admin, 'Users').click();
    await admin.getByRole('button', { name: 'New user' }).click();
    const userDialog = admin.getByRole('dialog', { name: 'New user' });
    await userDialog.getByLabel(/Username/).fill('carol');
    await userDialog.getByLabel('Name', { exact: true }).fill('Carol Auditor');
    await userDialog.getByLabel(/^Password/).fill(NEW_PASSWORD);
    await userDialog.getByRole('checkbox', { name: 'Must change at next sign-in' }).uncheck();
    await userDialog.getByRole('checkbox', { name: 'Auditors' }).check();
    await userDialog.getByRole('button', { name: 'Create user' }).click();
    await visible(admin.getByText('carol was created.'));
    await visible(admin.getByRole('row', { name: /carol/ }));

    const carol = await h.openTab();
    // A loaded machine (2 cores shared with other suites) can take a while here.
    await visible(carol.getByRole('textbox', { name: 'Username or email' }), 30_000);
    await signIn(carol, 'carol', NEW_PASSWORD);
    await expectHome(carol, 'Carol Auditor');
    await openConsole(carol);
    const nav = carol.getByRole('navigation', { name: 'Admin sections' });
    await expect.poll(() => nav.getByRole('button').allInnerTexts()).toEqual(['Users', 'Audit log', 'Back to Home']);
    await visible(carol.getByRole('row', { name: /ada/ }));
    expect(await carol.getByRole('button', { name: 'New user' }).count()).toBe(0);
    expect(await carol.getByRole('button', { name: /Actions for/ }).count()).toBe(0);
    await section(carol, 'Audit log').click();
    await visible(carol.getByRole('heading', { name: 'Audit log' }));
    await visible(carol.getByRole('cell', { name: 'Group created' }).first());
  });

  it('a user without permissions sees no admin console, and PERMISSION_DENIED when calling a channel directly', async () => {
    const page = await h.openTab();
    await signIn(page, 'plain', E2E_PASSWORD);
    await expectHome(page, 'Plain Person');
    expect(await page.getByRole('button', { name: 'Admin console' }).count()).toBe(0);
    await page.getByRole('button', { name: /^Profiles: / }).click();
    await visible(page.getByRole('menu'));
    expect(await page.getByRole('menuitem', { name: 'Admin console' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    const codes = await page.evaluate(async () => {
      // Runs in the page: window.accounts, typed here without the DOM library.
      type Reply = { ok: true; data: unknown } | { ok: false; error: { code: string } };
      const api = (globalThis as unknown as { accounts?: { invoke(channel: string, payload: unknown): Promise<Reply> } }).accounts;
      if (!api) throw new Error('no bridge');
      // The renderer keeps the session ID in memory only; the test finds it through
      // the only door a page has: a fresh sign-in of the same account in this tab.
      const login = await api.invoke('auth:login', { username: 'plain', password: 'correct horse battery staple 42' });
      if (!login.ok) return ['login failed'];
      const sessionId = (login.data as { sessionId: string }).sessionId;
      const out: string[] = [];
      for (const channel of ['admin:users:list', 'admin:groups:list', 'admin:sessions:list', 'admin:audit:list']) {
        const r = await api.invoke(channel, { sessionId });
        out.push(r.ok ? 'ok' : r.error.code);
      }
      return out;
    });
    expect(codes).toEqual(['PERMISSION_DENIED', 'PERMISSION_DENIED', 'PERMISSION_DENIED', 'PERMISSION_DENIED']);
  });

  it('an admin-set password with "Must change at next sign-in" sends the user to the change-password screen', async () => {
    const admin = await h.openTab();
    await signIn(admin, 'ada', E2E_PASSWORD);
    await expectHome(admin, 'Ada Lovelace');
    // This time through the profile switcher's entry.
    await (await visible(admin.getByRole('button', { name: /^Profiles: / }))).click();
    await (await visible(admin.getByRole('menu').getByRole('menuitem', { name: 'Admin console' }))).click();
    await visible(admin.getByRole('navigation', { name: 'Admin sections' }));
    await admin.getByRole('button', { name: 'Actions for plain' }).click();
    await admin.getByRole('menuitem', { name: 'Set password…' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Set a password for plain' });
    await dialog.getByLabel('New password').fill(NEW_PASSWORD);
    await dialog.getByLabel('Type it again').fill(NEW_PASSWORD);
    expect(await dialog.getByRole('checkbox', { name: 'Must change at next sign-in' }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await visible(admin.getByText("plain's password was set."));

    const page = await h.openTab();
    await signIn(page, 'plain', NEW_PASSWORD);
    await visible(page.getByRole('heading', { name: CHANGE_REQUIRED_TITLE }));
    await visible(passwordField(page, 'Current password'));
    expect(await page.getByRole('heading', { name: 'Hello, Plain Person' }).count()).toBe(0);
  });

  it('deactivating a signed-in user ends their session in the other tab, with its reason', async () => {
    const page = await h.openTab();
    await signIn(page, 'carol', NEW_PASSWORD);
    await expectHome(page, 'Carol Auditor');
    const admin = await h.openTab();
    await signIn(admin, 'ada', E2E_PASSWORD);
    await openConsole(admin);
    await section(admin, 'Sessions').click();
    // The user with their profile, and the window (tab) the session is bound to.
    const carolRow = admin.getByRole('row', { name: /carol · Carol Auditor/ }).first();
    await visible(carolRow);
    await visible(carolRow.getByRole('cell', { name: /^Window \d+ [0-9a-f]{8}/ }));
    await section(admin, 'Users').click();
    await admin.getByRole('button', { name: 'Actions for carol' }).click();
    await admin.getByRole('menuitem', { name: 'Deactivate' }).click();
    await visible(admin.getByText('carol is deactivated and their sessions have ended.'));
    await visible(admin.getByRole('row', { name: /carol/ }).getByText('Inactive'));
    await section(admin, 'Sessions').click();
    await visible(admin.getByRole('table'));
    await expect.poll(() => admin.getByRole('cell', { name: /^carol\b/ }).count()).toBe(0);

    await expectLoginForm(page);
    await visible(page.getByText(/turned off by an administrator/));
  });
});
