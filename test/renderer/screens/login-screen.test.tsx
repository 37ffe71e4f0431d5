import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES } from '../../../shared/errors';
import { appInfo, err, FakeAccountsApi, ok } from '../../support/fake-accounts-api';
import { acceptLogins, renderApp, signInWithPassword } from '../support/render-app';

afterEach(() => {
  vi.useRealTimers();
});

describe('Login screen', () => {
  it('signs in with the form and lands on Home, telling main which profile is shown', async () => {
    const api = new FakeAccountsApi();
    const [first] = [acceptLogins(api, { alice: { displayName: 'Alice Liddell' } })];
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Alice Liddell' })).toBeTruthy();
    expect(api.calls('auth:login')).toEqual([{ username: 'alice', password: 'correct horse battery', remember: false }]);
    expect(api.calls('profiles:activate')).toEqual([{ sessionId: first[0]?.sessionId }]);
  });

  it('shows a wrong password in one alert banner, in words, never the code', async () => {
    const api = new FakeAccountsApi().fail('auth:login', 'INVALID_CREDENTIALS');
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice', 'nope');
    const alert = await screen.findByText(/not right/);
    expect(alert.closest('[role="alert"]')).toBeTruthy();
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(document.body.textContent).not.toContain('INVALID_CREDENTIALS');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  it.each(ERROR_CODES.filter((c) => c !== 'THROTTLED'))('gives %s a sentence of its own', async (code) => {
    const api = new FakeAccountsApi().fail('auth:login', code, { message: 'english from main' });
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    await waitFor(() => expect(screen.getByRole('alert').textContent).not.toBe(''));
    const text = screen.getByRole('alert').textContent ?? '';
    expect(text).not.toContain(code);
    expect(text).not.toContain('english from main');
    expect(text.length).toBeGreaterThan(10);
  });

  it('cannot be submitted twice while the password is checked, and shows progress', async () => {
    const api = new FakeAccountsApi();
    let release: () => void = () => undefined;
    api.handle('auth:login', () => new Promise((resolve) => (release = () => resolve(err('INVALID_CREDENTIALS')))));
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    const busy = screen.getByRole('button', { name: /Signing in/ }) as HTMLButtonElement;
    expect(busy.disabled).toBe(true);
    expect(busy.getAttribute('aria-busy')).toBe('true');
    await user.keyboard('{Enter}');
    expect(api.calls('auth:login')).toHaveLength(1);
    await act(async () => release());
    expect((await screen.findByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('turns THROTTLED into a live countdown that re-enables the button when it ends', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const api = new FakeAccountsApi().fail('auth:login', 'THROTTLED', { retryAfterMs: 27_000 });
    const { user } = renderApp(api, { fakeTimers: true });
    await signInWithPassword(user, 'alice');
    const button = await screen.findByRole('button', { name: 'Try again in 0:27' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    // The ticking text is not itself live: it would be read out every second.
    expect(button.closest('[aria-live]')).toBeNull();
    expect(button.querySelector('[aria-live]')).toBeNull();
    await act(async () => vi.advanceTimersByTime(10_000));
    expect(screen.getByRole('button', { name: 'Try again in 0:17' })).toBeTruthy();
    await act(async () => vi.advanceTimersByTime(17_500));
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('announces the throttle politely at the start, every 10 s and when signing in works again, not every second', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const api = new FakeAccountsApi().fail('auth:login', 'THROTTLED', { retryAfterMs: 27_000 });
    const { user } = renderApp(api, { fakeTimers: true });
    await signInWithPassword(user, 'alice');
    await screen.findByRole('button', { name: 'Try again in 0:27' });
    const region = screen.getByTestId('throttle-status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    const heard: string[] = [region.textContent ?? ''];
    const shown: string[] = [];
    for (let i = 0; i < 28; i += 1) {
      await act(async () => vi.advanceTimersByTime(1_000));
      const text = region.textContent ?? '';
      if (text !== heard.at(-1)) heard.push(text);
      shown.push(document.querySelector('button[type="submit"]')?.textContent ?? '');
    }
    expect(heard).toEqual(['Try again in 0:27', 'Try again in 0:20', 'Try again in 0:10', 'You can try again now.']);
    // Meanwhile the button itself counted down every second.
    expect(shown).toContain('Try again in 0:26');
    expect(shown).toContain('Try again in 0:01');
    expect(shown.at(-1)).toBe('Sign in');
  });

  it('asks to stay signed in only when the keychain works, and says why not otherwise', async () => {
    const api = new FakeAccountsApi();
    acceptLogins(api);
    const { user } = renderApp(api);
    await user.click(await screen.findByRole('checkbox', { name: 'Stay signed in on this computer' }));
    await signInWithPassword(user, 'alice');
    await screen.findByRole('heading', { name: /Hello/ });
    expect(api.calls('auth:login')[0]?.remember).toBe(true);
  });

  it('shows a muted note instead of the checkbox when the keychain is unavailable', async () => {
    const api = new FakeAccountsApi().handle('app:info', () => ok(appInfo({ keychain: { available: false, reason: 'No Secret Service' } })));
    renderApp(api);
    expect(await screen.findByText(/Staying signed in is unavailable/)).toBeTruthy();
    expect(screen.queryByRole('checkbox', { name: 'Stay signed in on this computer' })).toBeNull();
  });

  it('labels the show/hide button and toggles the field', async () => {
    const { user } = renderApp();
    const field = (await screen.findByLabelText('Password')) as HTMLInputElement;
    expect(field.type).toBe('password');
    await user.click(screen.getByRole('button', { name: 'Show password' }));
    expect(field.type).toBe('text');
    expect(screen.getByRole('button', { name: 'Hide password' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('warns while Caps Lock is on', async () => {
    const { user } = renderApp();
    const field = await screen.findByLabelText('Password');
    await user.click(field);
    await user.keyboard('{CapsLock}A');
    expect(await screen.findByText('Caps Lock is on')).toBeTruthy();
    expect(field.getAttribute('aria-describedby')).toBeTruthy();
  });
});

describe('Remembered profile tiles', () => {
  const remembered = () =>
    new FakeAccountsApi().handle('profiles:list', () =>
      ok({ items: [{ username: 'ada', displayName: 'Ada Lovelace', avatarColor: '#7c3aed', lastLoginAt: Date.now() - 7_200_000 }], total: 1 }),
    );

  it('signs in with one click through the keychain', async () => {
    const api = remembered();
    acceptLogins(api, { ada: { displayName: 'Ada Lovelace' } });
    const { user } = renderApp(api);
    const tile = await screen.findByRole('button', { name: 'Sign in as Ada Lovelace' });
    expect(tile.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText(/Last signed in 2 hours ago/)).toBeTruthy();
    await user.click(tile);
    expect(await screen.findByRole('heading', { name: 'Hello, Ada Lovelace' })).toBeTruthy();
    expect(api.calls('auth:login-remembered')).toEqual([{ username: 'ada' }]);
  });

  it('forgets a profile only after confirmation, by keyboard', async () => {
    const api = remembered().handle('profiles:forget', () => ok({}));
    const { user } = renderApp(api);
    const forget = await screen.findByRole('button', { name: 'Forget Ada Lovelace on this computer' });
    forget.focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Forget Ada Lovelace?' });
    expect(api.calls('profiles:forget')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Forget Ada Lovelace' }));
    expect(api.calls('profiles:forget')).toEqual([{ username: 'ada' }]);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Sign in as Ada Lovelace' })).toBeNull());
  });

  it('drops a tile the keychain no longer knows (NOT_REMEMBERED) and prefills the form', async () => {
    const api = remembered().fail('auth:login-remembered', 'NOT_REMEMBERED');
    const { user } = renderApp(api);
    await user.click(await screen.findByRole('button', { name: 'Sign in as Ada Lovelace' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/no longer remembers/);
    expect(screen.queryByRole('button', { name: 'Sign in as Ada Lovelace' })).toBeNull();
    expect((screen.getByLabelText('Username or email') as HTMLInputElement).value).toBe('ada');
  });

  it('explains KEYCHAIN_UNAVAILABLE and keeps the tile', async () => {
    const api = remembered().fail('auth:login-remembered', 'KEYCHAIN_UNAVAILABLE');
    const { user } = renderApp(api);
    await user.click(await screen.findByRole('button', { name: 'Sign in as Ada Lovelace' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/keychain can't be reached/);
    expect(screen.getByRole('button', { name: 'Sign in as Ada Lovelace' })).toBeTruthy();
  });
});
