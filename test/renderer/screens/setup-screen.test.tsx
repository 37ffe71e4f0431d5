import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PasswordCheck } from '../../../shared/dto';
import { appInfo, err, FakeAccountsApi, loginResult, ok } from '../../support/fake-accounts-api';
import { renderApp } from '../support/render-app';

function firstRun() {
  return new FakeAccountsApi().handle('app:info', () => ok(appInfo({ setupRequired: true })));
}

describe('First run', () => {
  it('creates the administrator account and lands on Home, signed in', async () => {
    const api = firstRun().handle('setup:create-admin', (p) =>
      ok(loginResult({ username: p.username, displayName: p.displayName ?? p.username, isSuperuser: true }, { previousSignIn: { at: null, failedAttempts: 0 } })),
    );
    const { user } = renderApp(api);
    expect(await screen.findByRole('heading', { level: 1, name: 'Create the administrator account' })).toBeTruthy();
    await user.type(screen.getByLabelText('Username'), 'root');
    await user.type(screen.getByLabelText('Display name'), 'Rita Root');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery staple');
    await user.type(screen.getByLabelText('Confirm password'), 'correct horse battery staple');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Hello, Rita Root' })).toBeTruthy();
    expect(screen.getByText('This is your first sign-in.')).toBeTruthy();
    expect(api.calls('setup:create-admin')).toEqual([
      { username: 'root', password: 'correct horse battery staple', displayName: 'Rita Root', email: null },
    ]);
  });

  it('updates the strength meter reasons from the policy as the user types', async () => {
    const api = firstRun().handle('password:check', (p) => {
      const reasons: PasswordCheck['reasons'] = p.password.length < 12 ? ['too-short'] : [];
      if (/^\d+$/.test(p.password)) reasons.push('numeric');
      if (p.username && p.password.includes(p.username)) reasons.push('similar');
      return ok({ reasons, score: reasons.length ? 0 : 4, suggestions: [] });
    });
    const { user } = renderApp(api);
    await user.type(await screen.findByLabelText('Username'), 'margaret');
    expect(screen.getByText(/Use at least 12 characters\. A few unrelated words/)).toBeTruthy();
    const password = screen.getByLabelText('Password');
    await user.type(password, '1234');
    expect(await screen.findByText("Don't use only numbers.")).toBeTruthy();
    expect(screen.getByText('Use at least 12 characters.')).toBeTruthy();
    expect(screen.getByText('Very weak')).toBeTruthy();
    await user.type(password, 'x margaret y');
    expect(await screen.findByText('Too similar to your name, username or email.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText("Don't use only numbers.")).toBeNull());
    await user.clear(password);
    await user.type(password, 'violet umbrella marching');
    expect(await screen.findByText('This password meets the requirements.')).toBeTruthy();
    expect(screen.getByText('Strong')).toBeTruthy();
    expect(api.calls('password:check').at(-1)).toMatchObject({ password: 'violet umbrella marching', username: 'margaret' });
    expect(password.getAttribute('aria-describedby')).toBeTruthy();
  });

  it('refuses mismatched passwords before asking the core', async () => {
    const api = firstRun();
    const { user } = renderApp(api);
    await user.type(await screen.findByLabelText('Username'), 'root');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery staple');
    await user.type(screen.getByLabelText('Confirm password'), 'correct horse battery stable');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('alert')).textContent).toBe("!The passwords don't match.");
    expect(api.calls('setup:create-admin')).toHaveLength(0);
  });

  it('lists every PASSWORD_POLICY reason in words', async () => {
    const api = firstRun().handle('setup:create-admin', () => err('PASSWORD_POLICY', { reasons: ['common', 'repetitive', 'sequential'] }));
    const { user } = renderApp(api);
    await user.type(await screen.findByLabelText('Username'), 'root');
    await user.type(screen.getByLabelText('Password'), 'aaaaaaaaaaaa');
    await user.type(screen.getByLabelText('Confirm password'), 'aaaaaaaaaaaa');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    const text = (await screen.findByRole('alert')).textContent ?? '';
    expect(text).toContain('commonly used password');
    expect(text).toContain('Avoid repeated characters');
    expect(text).toContain('Avoid sequences');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
  });
});
