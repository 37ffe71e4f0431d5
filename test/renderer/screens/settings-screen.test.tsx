import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LoginResult } from '../../../shared/dto';
import { err, FakeAccountsApi, makeSession, makeUser, ok, T0 } from '../../support/fake-accounts-api';
import { acceptLogins, renderApp, signInWithPassword } from '../support/render-app';

async function openSettings(tab?: 'Security' | 'Preferences') {
  const api = new FakeAccountsApi();
  const issued = acceptLogins(api, { alice: { displayName: 'Alice' } });
  const app = renderApp(api);
  await signInWithPassword(app.user, 'alice');
  await app.user.click(await screen.findByRole('button', { name: 'Account settings' }));
  await screen.findByRole('heading', { level: 1, name: 'Account settings' });
  if (tab) await app.user.click(screen.getByRole('tab', { name: tab }));
  const first = issued[0];
  if (!first) throw new Error('no sign-in');
  return { ...app, first };
}

describe('Account settings', () => {
  it('saves the profile through account:update and marks the fields the core refuses', async () => {
    const { api, user } = await openSettings();
    api.handle('account:update', () => err('VALIDATION_ERROR', { fields: { email: 'Enter a valid email address.' } }));
    const email = screen.getByLabelText('Email');
    await user.clear(email);
    await user.type(email, 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not valid/);
    expect(email.getAttribute('aria-invalid')).toBe('true');

    api.handle('account:update', (p) => ok(makeUser({ username: 'alice', displayName: p.displayName ?? 'Alice', email: p.email ?? null })));
    const name = screen.getByLabelText('Display name');
    await user.clear(name);
    await user.type(name, 'Alice Liddell');
    await user.clear(email);
    await user.type(email, 'alice@example.org');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Your profile was saved.')).toBeTruthy();
    expect(api.calls('account:update').at(-1)).toMatchObject({ displayName: 'Alice Liddell', email: 'alice@example.org', phone: null });
    expect(await screen.findByRole('button', { name: 'Profiles: Alice Liddell' })).toBeTruthy();
  });

  it('changes the password and swaps in the new session ID without remounting the screen', async () => {
    const { api, user, first } = await openSettings('Security');
    const next: LoginResult = { ...first, sessionId: 'sid-after-change', session: makeSession({ handle: 'feedfacecafebeef' }) };
    api.handle('account:change-password', () => ok(next));
    const heading = screen.getByRole('heading', { level: 1, name: 'Account settings' });
    await user.type(screen.getByLabelText('Current password'), 'correct horse battery');
    await user.type(screen.getByLabelText('New password'), 'violet umbrella marching');
    await user.type(screen.getByLabelText('Confirm new password'), 'violet umbrella marching');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Your password was changed/)).toBeTruthy();
    expect(api.calls('account:change-password')).toEqual([
      { sessionId: first.sessionId, currentPassword: 'correct horse battery', newPassword: 'violet umbrella marching' },
    ]);
    // Same element: no flash, no remount; the tab stays.
    expect(screen.getByRole('heading', { level: 1, name: 'Account settings' })).toBe(heading);
    expect(screen.getByRole('tab', { name: 'Security' }).getAttribute('aria-selected')).toBe('true');
    // Every later call carries the new ID; the old one is gone.
    await waitFor(() => expect(api.calls('account:sessions').at(-1)).toEqual({ sessionId: 'sid-after-change' }));
    // An event for the old ID (already ended by the core) does not end the profile.
    act(() => api.emit('session:ended', { sessionId: first.sessionId, handle: first.session.handle, reason: 'password-changed' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Account settings' })).toBeTruthy();
  });

  it('explains a refused new password with the policy reason in words', async () => {
    const { api, user } = await openSettings('Security');
    api.fail('account:change-password', 'PASSWORD_POLICY', { reasons: ['same-as-current'] });
    await user.type(screen.getByLabelText('Current password'), 'correct horse battery');
    await user.type(screen.getByLabelText('New password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Confirm new password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/aren't using now/);
  });

  it("lists this profile's other sessions and ends one", async () => {
    const api = new FakeAccountsApi();
    acceptLogins(api, { alice: { displayName: 'Alice' } });
    const items = [
      makeSession({ handle: 'aaaaaaaaaaaaaaaa', current: true }),
      makeSession({ handle: 'bbbbbbbbbbbbbbbb', current: false, locked: true, createdAt: T0 - 86_400_000 }),
    ];
    api.handle('account:sessions', () => ok({ items, total: items.length }));
    api.handle('account:revoke-session', () => ok({}));
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    await user.click(await screen.findByRole('button', { name: 'Account settings' }));
    await user.click(await screen.findByRole('tab', { name: 'Security' }));
    const list = within(await screen.findByRole('list'));
    expect(list.getByText('This session')).toBeTruthy();
    expect(list.getByText('Locked')).toBeTruthy();
    await user.click(list.getByRole('button', { name: 'End session' }));
    expect(api.calls('account:revoke-session')).toEqual([expect.objectContaining({ handle: 'bbbbbbbbbbbbbbbb' })]);
    expect(await screen.findByText("You aren't signed in anywhere else.")).toBeTruthy();
  });

  it('applies theme and language at once and stores them per profile', async () => {
    const { api, user } = await openSettings('Preferences');
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(api.calls('prefs:set')).toEqual([expect.objectContaining({ theme: 'dark' })]);
    await user.click(screen.getByRole('radio', { name: '简体中文' }));
    expect(await screen.findByRole('heading', { level: 1, name: '账户设置' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
    await user.click(screen.getByRole('radio', { name: 'English' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Account settings' })).toBeTruthy();
    await user.click(screen.getAllByRole('radio', { name: 'Match system' })[0] as HTMLElement);
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});

describe('Required password change', () => {
  it('goes straight to "Choose a new password" and then Home', async () => {
    const api = new FakeAccountsApi();
    const issued = acceptLogins(api, { carol: { displayName: 'Carol', mustChangePassword: true } });
    api.handle('prefs:get', () => err('PASSWORD_CHANGE_REQUIRED'));
    const { user } = renderApp(api);
    await signInWithPassword(user, 'carol');
    expect(await screen.findByRole('heading', { level: 1, name: 'Choose a new password' })).toBeTruthy();
    const first = issued[0];
    if (!first) throw new Error('no sign-in');
    api.handle('account:change-password', () =>
      ok({ ...first, sessionId: 'sid-carol-2', user: { ...first.user, mustChangePassword: false } }),
    );
    await user.type(screen.getByLabelText('Current password'), 'temporary password 1');
    await user.type(screen.getByLabelText('New password'), 'violet umbrella marching');
    await user.type(screen.getByLabelText('Confirm new password'), 'violet umbrella marching');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Carol' })).toBeTruthy();
  });
});
