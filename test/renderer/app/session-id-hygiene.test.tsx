/**
 * Where session IDs may live in the renderer (SECURITY.md rows 9, 35 and 46): only in
 * memory. A script injected into the page later (XSS), a browser extension or another
 * user of the machine must find no ID in web storage, cookies, the URL or the DOM, and
 * a profile that logged out must leave no ID behind that later calls could use.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeAccountsApi } from '../../support/fake-accounts-api';
import { openSwitcher, renderApp, twoProfiles } from '../support/render-app';

/** Every place a page could persist or expose a string, as text. */
function exposedText(): string {
  const storage = (s: Storage) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i) ?? '')}`).join(';');
  return [
    storage(window.localStorage),
    storage(window.sessionStorage),
    document.cookie,
    window.location.href,
    document.title,
    document.documentElement.outerHTML,
  ].join('\n');
}

describe('session IDs in the renderer', () => {
  it('live only in memory: never in storage, cookies, the URL, the title or the DOM (row 35)', async () => {
    window.localStorage.clear();
    window.sessionStorage.clear();
    const { user, alice, bob } = await twoProfiles();
    // Switch back and open settings, so more screens have rendered with both IDs in play.
    const menu = await openSwitcher(user);
    await user.click(menu.getByRole('menuitem', { name: /Alice/ }));
    await user.click(screen.getByRole('button', { name: 'Account settings' }));
    await screen.findByRole('heading', { level: 1, name: 'Account settings' });

    const text = exposedText();
    // The fake's IDs ('sid-alice-1') are distinctive enough for a substring search.
    expect(alice.sessionId).toMatch(/^sid-alice-\d+$/);
    expect(text).not.toContain(alice.sessionId);
    expect(text).not.toContain(bob.sessionId);
    expect(window.localStorage.length).toBe(0);
    expect(window.sessionStorage.length).toBe(0);
    expect(document.cookie).toBe('');
  });

  it('is dropped at logout: no later call carries it, and the profile is gone from the screen (row 46)', async () => {
    const { api, user, bob } = await twoProfiles();
    const menu = await openSwitcher(user);
    await user.click(menu.getByRole('menuitem', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' })).toBeTruthy();
    expect(api.calls('auth:logout')).toEqual([{ sessionId: bob.sessionId, forget: false }]);

    const before = api.log.length;
    // Use the app some more: settings, then the switcher.
    await user.click(screen.getByRole('button', { name: 'Account settings' }));
    await screen.findByRole('heading', { level: 1, name: 'Account settings' });
    const again = await openSwitcher(user);
    expect(again.queryByRole('menuitem', { name: /Bob/ })).toBeNull();
    const later = api.log.slice(before).map((c) => JSON.stringify(c.payload));
    expect(later.length).toBeGreaterThan(0);
    for (const payload of later) expect(payload).not.toContain(bob.sessionId);
    expect(screen.queryByText(/Hello, Bob/)).toBeNull();
  });
});

describe('the password field (row 9)', () => {
  it('is masked, can be shown by a labelled button, and accepts paste', async () => {
    const { user } = renderApp(new FakeAccountsApi());
    const field = (await screen.findByLabelText('Password')) as HTMLInputElement;
    expect(field.type).toBe('password');
    expect(field.getAttribute('autocomplete')).toMatch(/current-password/);

    // Paste is never blocked (password managers and long passphrases rely on it).
    const paste = new Event('paste', { bubbles: true, cancelable: true });
    expect(field.dispatchEvent(paste)).toBe(true);
    expect(paste.defaultPrevented).toBe(false);
    fireEvent.change(field, { target: { value: 'pasted passphrase 42' } });
    expect(field.value).toBe('pasted passphrase 42');

    await user.click(screen.getByRole('button', { name: 'Show password' }));
    expect(field.type).toBe('text');
    await user.click(screen.getByRole('button', { name: 'Hide password' }));
    expect(field.type).toBe('password');
  });
});
