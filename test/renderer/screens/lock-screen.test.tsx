import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeAccountsApi, loginResult, ok } from '../../support/fake-accounts-api';
import { acceptLogins, openSwitcher, renderApp, signInWithPassword } from '../support/render-app';

afterEach(() => {
  vi.useRealTimers();
});

describe('Lock screen', () => {
  it('shows the throttle countdown for wrong unlock passwords, like sign-in', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const api = new FakeAccountsApi();
    const issued = acceptLogins(api, { alice: { displayName: 'Alice' } });
    const { user } = renderApp(api, { fakeTimers: true });
    await signInWithPassword(user, 'alice');
    await user.click(await screen.findByRole('button', { name: 'Lock' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Alice is locked' })).toBeTruthy();
    expect(api.calls('auth:lock')).toEqual([{ sessionId: issued[0]?.sessionId }]);
    api.fail('auth:unlock', 'THROTTLED', { retryAfterMs: 60_000 });
    await user.type(screen.getByLabelText('Password'), 'guess');
    await user.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByRole('button', { name: 'Try again in 1:00' })).toBeTruthy();
    await act(async () => vi.advanceTimersByTime(61_000));
    expect((screen.getByRole('button', { name: 'Unlock' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('offers the keychain for a remembered profile and keeps its screen', async () => {
    const api = new FakeAccountsApi().handle('profiles:list', () =>
      ok({ items: [{ username: 'ada', displayName: 'Ada', avatarColor: '#7c3aed', lastLoginAt: null }], total: 1 }),
    );
    acceptLogins(api, { ada: { displayName: 'Ada' } });
    const { user } = renderApp(api);
    await user.click(await screen.findByRole('button', { name: 'Sign in as Ada' }));
    await user.click(await screen.findByRole('button', { name: 'Account settings' }));
    await screen.findByRole('heading', { level: 1, name: 'Account settings' });
    await user.click(await screen.findByRole('button', { name: 'Profiles: Ada' }));
    await user.click(await screen.findByRole('menuitem', { name: /^Lock/ }));
    await screen.findByRole('heading', { level: 1, name: 'Ada is locked' });
    api.handle('auth:login-remembered', () => ok(loginResult({ username: 'ada', displayName: 'Ada' })));
    await user.click(screen.getByRole('button', { name: 'Unlock with this computer' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Account settings' })).toBeTruthy();
    expect(api.calls('auth:login-remembered')).toHaveLength(2);
  });

  it('does not offer the keychain for a profile signed in with a password', async () => {
    const api = new FakeAccountsApi();
    acceptLogins(api, { alice: { displayName: 'Alice' } });
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    await user.click(await screen.findByRole('button', { name: 'Lock' }));
    await screen.findByRole('heading', { level: 1, name: 'Alice is locked' });
    expect(screen.queryByRole('button', { name: 'Unlock with this computer' })).toBeNull();
  });
});

describe('Admin console entry', () => {
  it('appears on Home only with an admin permission, and opens the console lazily', async () => {
    const api = new FakeAccountsApi();
    api.handle('admin:users:list', () => ok({ items: [], total: 0 }));
    acceptLogins(api, {
      root: { displayName: 'Root', isStaff: true, permissions: ['auth.view_user'] },
      plain: { displayName: 'Plain', permissions: [] },
    });
    const { user } = renderApp(api);
    await signInWithPassword(user, 'plain');
    await screen.findByRole('heading', { level: 1, name: 'Hello, Plain' });
    expect(screen.queryByRole('button', { name: 'Admin console' })).toBeNull();
    const menu = await openSwitcher(user);
    await user.click(menu.getByRole('menuitem', { name: 'Add profile…' }));
    await signInWithPassword(user, 'root');
    await user.click(await screen.findByRole('button', { name: 'Admin console' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Admin console' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.queryByRole('heading', { level: 1, name: 'Hello, Root' })).toBeNull();
  });
});
