import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appInfo, FakeAccountsApi, IDLE_MS, ok, T0 } from '../../support/fake-accounts-api';
import { acceptLogins, renderApp, signInWithPassword } from '../support/render-app';

afterEach(() => {
  vi.useRealTimers();
});

describe('Home', () => {
  it('greets, shows the session card, the previous sign-in and the failed attempts since', async () => {
    const api = new FakeAccountsApi();
    acceptLogins(api, { alice: { displayName: 'Alice' } }, { previousSignIn: { at: T0 - 86_400_000, failedAttempts: 3 } });
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'This session' })).toBeTruthy();
    expect(screen.getByText('Ends after 15 minutes of inactivity')).toBeTruthy();
    expect(screen.getByText('3 failed attempts since then.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Last sign-in' })).toBeTruthy();
    // No admin permission: no console link.
    expect(screen.queryByRole('button', { name: 'Admin console' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Account settings' })).toBeTruthy();
  });

  it('counts down in the last minute and warns, and "Stay signed in" renews the session', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(T0);
    const api = new FakeAccountsApi();
    acceptLogins(api, { alice: { displayName: 'Alice' } });
    api.handle('auth:activity', () => ok({ idleExpiresAt: Date.now() + IDLE_MS }));
    const { user } = renderApp(api, { fakeTimers: true });
    await signInWithPassword(user, 'alice');
    await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' });
    expect(screen.queryByText(/You will be signed out/)).toBeNull();
    const before = api.calls('auth:activity').length;
    await act(async () => vi.advanceTimersByTime(IDLE_MS - 45_000));
    const warning = screen.getByText(/You will be signed out in 0:4\d/);
    expect(warning.closest('[role="alert"]')).toBeTruthy();
    expect(screen.getByText(/Ends in 0:4\d/).getAttribute('aria-live')).toBe('polite');
    await act(async () => vi.advanceTimersByTime(10_000));
    expect(screen.getByText(/You will be signed out in 0:3\d/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Stay signed in' }));
    await act(async () => vi.advanceTimersByTime(1000));
    expect(api.calls('auth:activity').length).toBeGreaterThan(before);
    expect(screen.queryByText(/You will be signed out/)).toBeNull();
  });
});

it('says the profile will lock, not sign out, when idle sessions lock', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(T0);
  const api = new FakeAccountsApi().handle('app:info', () =>
    ok(appInfo({ sessions: { idleTimeoutMs: IDLE_MS, idleAction: 'lock', maxProfilesPerWindow: 5 } })),
  );
  acceptLogins(api, { alice: { displayName: 'Alice' } });
  const { user } = renderApp(api, { fakeTimers: true });
  await signInWithPassword(user, 'alice');
  await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' });
  await act(async () => vi.advanceTimersByTime(IDLE_MS - 30_000));
  expect(screen.getByText(/This profile will lock in 0:[23]\d/)).toBeTruthy();
  expect(screen.queryByText(/You will be signed out/)).toBeNull();
});

it('names the configured idle timeout from app:info', async () => {
  const api = new FakeAccountsApi().handle('app:info', () =>
    ok(appInfo({ sessions: { idleTimeoutMs: 5 * 60_000, idleAction: 'logout', maxProfilesPerWindow: 5 } })),
  );
  acceptLogins(api, { alice: { displayName: 'Alice' } });
  const { user } = renderApp(api);
  await signInWithPassword(user, 'alice');
  expect(await screen.findByText('Ends after 5 minutes of inactivity')).toBeTruthy();
});

describe('Activity heartbeat', () => {
  it('sends auth:activity on real input at most once per 30 s, for the shown profile only', async () => {
    const api = new FakeAccountsApi();
    const issued = acceptLogins(api, { alice: { displayName: 'Alice' } });
    const { user, clock } = renderApp(api);
    await signInWithPassword(user, 'alice');
    await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' });
    const base = api.calls('auth:activity').length;
    fireEvent.keyDown(window, { key: 'a' });
    fireEvent.pointerDown(window);
    fireEvent.wheel(window);
    expect(api.calls('auth:activity').length).toBe(base + 1);
    clock.now += 29_000;
    fireEvent.keyDown(window, { key: 'a' });
    expect(api.calls('auth:activity').length).toBe(base + 1);
    clock.now += 2_000;
    fireEvent.touchStart(window);
    expect(api.calls('auth:activity').length).toBe(base + 2);
    expect(api.calls('auth:activity').at(-1)).toEqual({ sessionId: issued[0]?.sessionId });
  });

  it('ignores events a script dispatched (isTrusted false) by default', async () => {
    const { AppController } = await import('../../../renderer/src/app/app-controller');
    const { createAccountsClient } = await import('../../../renderer/src/app/accounts-client');
    const controller = new AppController(createAccountsClient(new FakeAccountsApi()));
    expect(controller.isTrustedInput(new KeyboardEvent('keydown'))).toBe(false);
  });

  it('sends nothing while the profile is locked, and no timer sends anything', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const api = new FakeAccountsApi();
    const issued = acceptLogins(api, { alice: { displayName: 'Alice' } });
    const { user, clock } = renderApp(api, { fakeTimers: true });
    await signInWithPassword(user, 'alice');
    await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' });
    const base = api.calls('auth:activity').length;
    await act(async () => vi.advanceTimersByTime(120_000));
    expect(api.calls('auth:activity').length).toBe(base);
    const alice = issued[0];
    if (!alice) throw new Error('no sign-in');
    act(() => api.emit('session:locked', { sessionId: alice.sessionId, handle: alice.session.handle, reason: 'idle' }));
    await screen.findByRole('heading', { level: 1, name: 'Alice is locked' });
    clock.now += 60_000;
    fireEvent.keyDown(window, { key: 'a' });
    expect(api.calls('auth:activity').length).toBe(base);
  });
});
