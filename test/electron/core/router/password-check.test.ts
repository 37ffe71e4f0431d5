import { afterEach, describe, expect, it } from 'vitest';
import type { PasswordCheck } from '../../../../shared/dto';
import { makeHarness, STRONG_PASSWORD, type Harness } from '../../../support/core-harness';

/*
 * password:check (the live strength meter) through dispatch: public, the policy's own
 * reasons, an advisory score, and no side effects (nothing stored, no throttle).
 */

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

const check = (payload: Record<string, unknown>) => h.ok<PasswordCheck>(1, 'password:check', payload);

describe('password:check', () => {
  it('answers without a session, with every policy reason the password breaks', async () => {
    h = await makeHarness();
    const r = await check({ password: '12345' });
    expect(r.reasons).toEqual(['too-short', 'common', 'numeric', 'sequential']);
    expect(r.score).toBe(0);
    expect(r.suggestions.length).toBeGreaterThan(0);
  });

  it('gives no reasons and a high score for a good passphrase', async () => {
    h = await makeHarness();
    const r = await check({ password: STRONG_PASSWORD });
    expect(r.reasons).toEqual([]);
    expect(r.score).toBeGreaterThanOrEqual(3);
  });

  it('uses the configured minimum length', async () => {
    h = await makeHarness({ settings: { passwordMinLength: 20 } });
    expect((await check({ password: 'violet umbrella 42' })).reasons).toContain('too-short');
    expect((await check({ password: 'violet umbrella marching 42' })).reasons).not.toContain('too-short');
  });

  it('reports "similar" against the username, email and display name the form holds', async () => {
    h = await makeHarness();
    const password = 'margaretta-2024-x';
    expect((await check({ password })).reasons).toEqual([]);
    expect((await check({ password, username: 'margaretta' })).reasons).toEqual(['similar']);
    expect((await check({ password, email: 'margaretta@example.com' })).reasons).toEqual(['similar']);
    expect((await check({ password, displayName: 'Margaretta Jones' })).reasons).toEqual(['similar']);
  });

  it('agrees with the policy that setup enforces', async () => {
    h = await makeHarness();
    const weak = 'password1234';
    const reasons = (await check({ password: weak, username: 'admin' })).reasons;
    const setup = await h.call(1, 'setup:create-admin', { username: 'admin', password: weak });
    expect(setup.ok).toBe(false);
    if (!setup.ok) expect(setup.error.reasons).toEqual(reasons);
  });

  it('refuses a malformed payload by shape, and records nothing in the audit log', async () => {
    h = await makeHarness();
    expect(await h.errorCode(1, 'password:check', {})).toBe('VALIDATION_ERROR');
    expect(await h.errorCode(1, 'password:check', { password: 'x', extra: 1 })).toBe('VALIDATION_ERROR');
    expect(await h.errorCode(1, 'password:check', { password: 'x'.repeat(5000) })).toBe('VALIDATION_ERROR');
    const admin = await h.ok<{ sessionId: string }>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
    const audit = () => h.ok<{ total: number }>(1, 'admin:audit:list', { sessionId: admin.sessionId });
    const before = (await audit()).total;
    await check({ password: 'a secret typed into the meter', username: 'admin' });
    expect((await audit()).total).toBe(before);
  });

  it('does not count toward the sign-in throttle', async () => {
    h = await makeHarness({ settings: { loginMaxFailures: 1 } });
    await h.ok(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
    for (let i = 0; i < 5; i++) await check({ password: `guess number ${i} for admin`, username: 'admin' });
    const login = await h.call(2, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });
    expect(login.ok).toBe(true);
  });
});
