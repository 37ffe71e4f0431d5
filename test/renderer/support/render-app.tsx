import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import { App } from '../../../renderer/src/app/app';
import { createAccountsClient } from '../../../renderer/src/app/accounts-client';
import type { LoginResult, User } from '../../../shared/dto';
import { FakeAccountsApi, loginResult, ok, T0 } from '../../support/fake-accounts-api';

export interface RenderedApp {
  api: FakeAccountsApi;
  user: ReturnType<typeof userEvent.setup>;
  clock: { now: number };
}

/**
 * Renders the whole App over a fake bridge, with English as the OS language unless
 * `languages` says otherwise, a settable clock for notices/heartbeat, and every
 * input event counted as a person's.
 */
export function renderApp(api = new FakeAccountsApi(), options: { languages?: string[]; fakeTimers?: boolean } = {}): RenderedApp {
  Object.defineProperty(window.navigator, 'languages', { value: options.languages ?? ['en-US'], configurable: true });
  const clock = { now: T0 };
  const user = userEvent.setup(options.fakeTimers ? { advanceTimers: (ms) => vi.advanceTimersByTime(ms) } : {});
  render(<App client={createAccountsClient(api)} now={() => clock.now} isTrustedInput={() => true} />);
  return { api, user, clock };
}


/** Password sign-in answers for these users (by username), with fresh session IDs. */
export function acceptLogins(api: FakeAccountsApi, users: Record<string, Partial<User>> = {}, extra: Partial<LoginResult> = {}): LoginResult[] {
  const issued: LoginResult[] = [];
  const answer = (username: string) => {
    const r = loginResult({ username, ...users[username] }, extra);
    issued.push(r);
    return ok(r);
  };
  api.handle('auth:login', (p) => answer(p.username));
  api.handle('auth:login-remembered', (p) => {
    const r = loginResult({ username: p.username, ...users[p.username] }, extra);
    issued.push(r);
    return ok(r);
  });
  return issued;
}

/** Fills the sign-in form and submits it. */
export async function signInWithPassword(user: RenderedApp['user'], username: string, password = 'correct horse battery') {
  const identifier = await screen.findByLabelText('Username or email');
  await user.clear(identifier);
  await user.type(identifier, username);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

/** Opens the profile switcher menu and returns it. */
export async function openSwitcher(user: RenderedApp['user']) {
  await user.click(await screen.findByRole('button', { name: /^Profiles: / }));
  return within(await screen.findByRole('menu'));
}

/** The visible (not hidden) profile's heading level 1. */
export function visibleHeading(): HTMLElement {
  const all = screen.getAllByRole('heading', { level: 1 });
  const shown = all.find((h) => !h.closest('[hidden]'));
  if (!shown) throw new Error('no visible h1');
  return shown;
}

/** Two profiles in one window: alice first, then bob through "Add profile…". */
export async function twoProfiles() {
  const api = new FakeAccountsApi();
  const issued = acceptLogins(api, { alice: { displayName: 'Alice' }, bob: { displayName: 'Bob', id: 2 } });
  const app = renderApp(api);
  await signInWithPassword(app.user, 'alice');
  await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' });
  const menu = await openSwitcher(app.user);
  await app.user.click(menu.getByRole('menuitem', { name: 'Add profile…' }));
  await screen.findByRole('heading', { level: 1, name: 'Add a profile' });
  await signInWithPassword(app.user, 'bob');
  await screen.findByRole('heading', { level: 1, name: 'Hello, Bob' });
  const [alice, bob] = issued;
  if (!alice || !bob) throw new Error('two sign-ins expected');
  return { ...app, alice, bob };
}
