import { afterEach, describe, expect, it } from 'vitest';
import type { LoginResult } from '../../../../shared/dto';
import { makeHarness, OTHER_PASSWORD, setupAdmin, STRONG_PASSWORD, type Harness } from '../../../support/core-harness';

/*
 * LoginResult.previousSignIn (what Unix login prints): the previous successful sign-in
 * and the failed password attempts since, on every path that returns a LoginResult.
 */

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

const login = (sender: number, password = STRONG_PASSWORD, remember = false) =>
  h.call(sender, 'auth:login', { username: 'admin', password, remember });
const loginOk = async (sender: number, remember = false) => {
  const r = await login(sender, STRONG_PASSWORD, remember);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as LoginResult;
};

describe('LoginResult.previousSignIn', () => {
  it('is empty on the very first sign-in (setup)', async () => {
    h = await makeHarness();
    const r = await h.ok<LoginResult>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
    expect(r.previousSignIn).toEqual({ at: null, failedAttempts: 0 });
  });

  it('names the previous sign-in time and counts failures after it', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const setupAt = h.time.now();
    h.time.advance(60_000);
    expect((await loginOk(2)).previousSignIn).toEqual({ at: setupAt, failedAttempts: 0 });
    const secondAt = h.time.now();

    h.time.advance(60_000);
    expect((await login(3, 'wrong password one')).ok).toBe(false);
    expect((await login(3, 'wrong password two')).ok).toBe(false);
    expect((await login(3, 'wrong password three')).ok).toBe(false);
    h.time.advance(60_000);
    expect((await loginOk(3)).previousSignIn).toEqual({ at: secondAt, failedAttempts: 3 });

    // Counted once: the next sign-in starts from zero again.
    expect((await loginOk(4)).previousSignIn?.failedAttempts).toBe(0);
  });

  it('counts a failure in the same millisecond as the sign-in it follows', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    expect((await login(2, 'not it at all')).ok).toBe(false);
    expect((await loginOk(2)).previousSignIn.failedAttempts).toBe(1);
  });

  it('counts wrong unlock passwords, but never failures on other accounts', async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    await h.ok(1, 'admin:users:create', { sessionId: admin, username: 'bob', password: OTHER_PASSWORD, mustChangePassword: false });
    expect((await h.call(2, 'auth:login', { username: 'bob', password: 'nope nope nope' })).ok).toBe(false);
    expect((await h.call(2, 'auth:login', { username: 'nobody', password: 'nope nope nope' })).ok).toBe(false);
    await h.ok(1, 'auth:lock', { sessionId: admin });
    expect(await h.errorCode(1, 'auth:unlock', { sessionId: admin, password: 'wrong unlock' })).toBe('INVALID_CREDENTIALS');
    expect((await loginOk(3)).previousSignIn.failedAttempts).toBe(1);
  });

  it('is carried unchanged by unlock and by a password change (same session, new ID)', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    h.time.advance(1000);
    expect((await login(2, 'wrong password one')).ok).toBe(false);
    const first = await loginOk(2);
    expect(first.previousSignIn.failedAttempts).toBe(1);

    await h.ok(2, 'auth:lock', { sessionId: first.sessionId });
    const unlocked = await h.ok<LoginResult>(2, 'auth:unlock', { sessionId: first.sessionId, password: STRONG_PASSWORD });
    expect(unlocked.previousSignIn).toEqual(first.previousSignIn);

    const changed = await h.ok<LoginResult>(2, 'account:change-password', {
      sessionId: unlocked.sessionId,
      currentPassword: STRONG_PASSWORD,
      newPassword: OTHER_PASSWORD,
    });
    expect(changed.sessionId).not.toBe(unlocked.sessionId);
    expect(changed.previousSignIn).toEqual(first.previousSignIn);
  });

  it('is filled for a remembered (keychain) sign-in too', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    h.time.advance(5000);
    const remembered = await loginOk(2, true);
    expect(remembered.remembered).toBe(true);
    h.time.advance(5000);
    const viaKeychain = await h.ok<LoginResult>(3, 'auth:login-remembered', { username: 'admin' });
    expect(viaKeychain.previousSignIn).toEqual({ at: remembered.session.createdAt, failedAttempts: 0 });
  });
});
