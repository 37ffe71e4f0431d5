import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appInfo, FakeAccountsApi, ok, T0 } from '../../support/fake-accounts-api';
import { acceptLogins, openSwitcher, renderApp, signInWithPassword, twoProfiles } from '../support/render-app';

describe('Profiles in one window', () => {
  it('"Add profile…" shows the form without signing anyone out, and offers the way back', async () => {
    const api = new FakeAccountsApi();
    acceptLogins(api, { alice: { displayName: 'Alice' } });
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    const menu = await openSwitcher(user);
    await user.click(menu.getByRole('menuitem', { name: 'Add profile…' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Add a profile' })).toBeTruthy();
    expect(api.calls('auth:logout')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Back to Alice' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' })).toBeTruthy();
  });

  it('switches back and forth instantly, without a password, each keeping its own screen', async () => {
    const { api, user, alice, bob } = await twoProfiles();
    // Bob opens settings > Preferences.
    await user.click(screen.getByRole('button', { name: 'Account settings' }));
    await user.click(await screen.findByRole('tab', { name: 'Preferences' }));
    let menu = await openSwitcher(user);
    expect(menu.getByRole('menuitem', { name: /Bob.*Active/ })).toBeTruthy();
    await user.click(menu.getByRole('menuitem', { name: /Alice/ }));
    // Alice is on Home, as she left it; no password asked.
    expect(screen.getByRole('heading', { level: 1, name: 'Hello, Alice' })).toBeTruthy();
    menu = await openSwitcher(user);
    await user.click(menu.getByRole('menuitem', { name: /Bob/ }));
    expect(screen.getByRole('heading', { level: 1, name: 'Account settings' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Preferences' }).getAttribute('aria-selected')).toBe('true');
    expect(api.calls('auth:login')).toHaveLength(2);
    expect(api.calls('profiles:activate').map((p) => p.sessionId)).toEqual([alice.sessionId, bob.sessionId, alice.sessionId, bob.sessionId]);
  });

  it('keeps an ended background profile listed with its reason until dismissed', async () => {
    const { api, user, alice } = await twoProfiles();
    act(() => api.emit('session:ended', { sessionId: alice.sessionId, handle: alice.session.handle, reason: 'idle' }));
    // Bob, shown, is untouched; the window's live region says what happened to Alice.
    expect(screen.getByRole('heading', { level: 1, name: 'Hello, Bob' })).toBeTruthy();
    expect(screen.getByTestId('announcer').textContent).toMatch(/^Alice was signed out after 15 minutes of inactivity at /);
    const menu = await openSwitcher(user);
    expect(menu.getByRole('menuitem', { name: /Alice.*Signed out after inactivity/ })).toBeTruthy();
    await user.click(menu.getByRole('menuitem', { name: /Alice/ }));
    // Choosing it shows the sign-in form for Alice with the notice of why and when.
    const notice = await within(screen.getByRole('main')).findByText(/Alice was signed out after 15 minutes of inactivity at/);
    expect(notice.closest('[role="status"]')).toBeTruthy();
    expect((screen.getByLabelText('Username or email') as HTMLInputElement).value).toBe('alice');
    await user.click(screen.getByRole('button', { name: /^Dismiss/ }));
    const after = await openSwitcher(user);
    expect(after.queryByRole('menuitem', { name: /Alice/ })).toBeNull();
  });

  it('shows the ended notice at once when the shown profile ends, one sentence per reason', async () => {
    const api = new FakeAccountsApi();
    const [r] = [acceptLogins(api, { alice: { displayName: 'Alice' } })];
    const { user, clock } = renderApp(api);
    await signInWithPassword(user, 'alice');
    await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' });
    clock.now = T0 + 42 * 60_000;
    const first = r[0];
    if (!first) throw new Error('no sign-in');
    act(() => api.emit('session:ended', { sessionId: first.sessionId, handle: first.session.handle, reason: 'password-changed' }));
    expect(await within(screen.getByRole('main')).findByText(/Alice's password was changed in another window at/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
  });

  it('locks from the Account menu (menu:command), unlocks with the password, and counts a wrong one', async () => {
    const { api, user, bob } = await twoProfiles();
    act(() => api.emit('menu:command', { command: 'lock' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Bob is locked' })).toBeTruthy();
    expect(api.calls('auth:lock')).toEqual([{ sessionId: bob.sessionId }]);
    expect(within(screen.getByRole('main')).getByText(/Locked at/)).toBeTruthy();

    api.fail('auth:unlock', 'INVALID_CREDENTIALS');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Unlock' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not right/);

    const rotated = { ...bob, sessionId: 'sid-bob-unlocked', session: { ...bob.session, handle: 'ffff000011112222' } };
    api.handle('auth:unlock', () => ok(rotated));
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Bob' })).toBeTruthy();
    // The next call uses the new session ID.
    act(() => api.emit('menu:command', { command: 'lock' }));
    await waitFor(() => expect(api.calls('auth:lock').at(-1)).toEqual({ sessionId: 'sid-bob-unlocked' }));
  });

  it('shows the lock screen when main locks a profile (session:locked), and switching opens the switcher', async () => {
    const { api, user, alice } = await twoProfiles();
    act(() => api.emit('session:locked', { sessionId: alice.sessionId, handle: alice.session.handle, reason: 'lock-all' }));
    let menu = await openSwitcher(user);
    expect(menu.getByRole('menuitem', { name: /Alice.*Locked/ })).toBeTruthy();
    await user.click(menu.getByRole('menuitem', { name: /Alice/ }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Alice is locked' })).toBeTruthy();
    expect(within(screen.getByRole('main')).getByText(/All profiles were locked at/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Switch profile' }));
    menu = within(await screen.findByRole('menu'));
    expect(menu.getByRole('menuitem', { name: /Bob/ })).toBeTruthy();
  });

  it('logs out from the menu command exactly like the switcher, falling back to the other profile', async () => {
    const { api, user, bob } = await twoProfiles();
    act(() => api.emit('menu:command', { command: 'logout' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' })).toBeTruthy();
    expect(api.calls('auth:logout')).toEqual([{ sessionId: bob.sessionId, forget: false }]);
    const menu = await openSwitcher(user);
    await user.click(menu.getByRole('menuitem', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(api.calls('auth:logout')).toHaveLength(2);
  });

  it('offers "Also forget this computer" when logging out of a remembered profile', async () => {
    const api = new FakeAccountsApi().handle('profiles:list', () =>
      ok({ items: [{ username: 'ada', displayName: 'Ada', avatarColor: '#7c3aed', lastLoginAt: null }], total: 1 }),
    );
    const [issued] = [acceptLogins(api, { ada: { displayName: 'Ada' } })];
    const { user } = renderApp(api);
    await user.click(await screen.findByRole('button', { name: 'Sign in as Ada' }));
    await screen.findByRole('heading', { level: 1, name: 'Hello, Ada' });
    act(() => api.emit('menu:command', { command: 'logout' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Log out of Ada?' }));
    await user.click(dialog.getByRole('checkbox', { name: 'Also forget this computer' }));
    await user.click(dialog.getByRole('button', { name: 'Log out' }));
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(api.calls('auth:logout')).toEqual([{ sessionId: issued[0]?.sessionId, forget: true }]);
  });

  it('switches by menu:command and opens "Add profile…" by menu:command', async () => {
    const { api } = await twoProfiles();
    act(() => api.emit('menu:command', { command: 'switch-profile', username: 'alice' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' })).toBeTruthy();
    act(() => api.emit('menu:command', { command: 'add-profile' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Add a profile' })).toBeTruthy();
  });

  it('explains TOO_MANY_PROFILES and then disables "Add profile…" with the reason', async () => {
    const api = new FakeAccountsApi();
    acceptLogins(api, { alice: { displayName: 'Alice' } });
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    let menu = await openSwitcher(user);
    await user.click(menu.getByRole('menuitem', { name: 'Add profile…' }));
    api.fail('auth:login', 'TOO_MANY_PROFILES');
    await signInWithPassword(user, 'carol');
    expect((await screen.findByRole('alert')).textContent).toMatch(/most profiles it can hold/);
    menu = await openSwitcher(user);
    expect(menu.getByRole('menuitem', { name: 'Add profile…' }).getAttribute('aria-disabled')).toBe('true');
    expect(menu.getByText('You can have up to 1 profile in this window. Log out of one to add another.')).toBeTruthy();
  });

  it('disables "Add profile…" with the reason once the window holds the most profiles app:info allows', async () => {
    const api = new FakeAccountsApi().handle('app:info', () =>
      ok(appInfo({ sessions: { idleTimeoutMs: 900_000, idleAction: 'logout', maxProfilesPerWindow: 2 } })),
    );
    acceptLogins(api, { alice: { displayName: 'Alice' }, bob: { displayName: 'Bob' } });
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    let menu = await openSwitcher(user);
    await user.click(menu.getByRole('menuitem', { name: 'Add profile…' }));
    await signInWithPassword(user, 'bob');
    await screen.findByRole('heading', { level: 1, name: 'Hello, Bob' });
    menu = await openSwitcher(user);
    expect(menu.getByRole('menuitem', { name: 'Add profile…' }).getAttribute('aria-disabled')).toBe('true');
    expect(menu.getByText('You can have up to 2 profiles in this window. Log out of one to add another.')).toBeTruthy();
  });

  it('treats SESSION_INVALID on a call as the end of that profile, even without an event', async () => {
    const api = new FakeAccountsApi().fail('account:sessions', 'SESSION_INVALID');
    acceptLogins(api, { alice: { displayName: 'Alice' } });
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    await user.click(await screen.findByRole('button', { name: 'Account settings' }));
    await user.click(await screen.findByRole('tab', { name: 'Security' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(within(screen.getByRole('main')).getByText(/An administrator ended Alice's session/)).toBeTruthy();
  });

  it('is operable by keyboard: Enter opens the switcher, arrows move, Enter chooses, Escape closes', async () => {
    const { user } = await twoProfiles();
    const trigger = screen.getByRole('button', { name: 'Profiles: Bob' });
    trigger.focus();
    await user.keyboard('{Enter}');
    await screen.findByRole('menu');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull());
    expect(document.activeElement).toBe(trigger);
    await user.keyboard('{Enter}');
    await screen.findByRole('menu');
    // The first item (Alice) is highlighted on open; Enter chooses it.
    await waitFor(() => expect(document.activeElement?.getAttribute('role')).toBe('menuitem'));
    expect(document.activeElement?.textContent).toContain('Alice');
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.textContent).toContain('Bob');
    await user.keyboard('{ArrowUp}{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' })).toBeTruthy();
  });

  it('moves focus to the heading of the screen that appears', async () => {
    const api = new FakeAccountsApi();
    acceptLogins(api, { alice: { displayName: 'Alice' } });
    const { user } = renderApp(api);
    // The sign-in form starts in the first field.
    const identifier = await screen.findByLabelText('Username or email');
    await waitFor(() => expect(document.activeElement).toBe(identifier));
    await signInWithPassword(user, 'alice');
    const home = await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' });
    await waitFor(() => expect(document.activeElement).toBe(home));
    await user.click(screen.getByRole('button', { name: 'Account settings' }));
    const settings = await screen.findByRole('heading', { level: 1, name: 'Account settings' });
    await waitFor(() => expect(document.activeElement).toBe(settings));
  });
});
