import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { APP_ID } from '../../../../electron/core/app-identity';
import { probeKeychain } from '../../../../electron/core/keychain/keychain';
import { OsKeychain } from '../../../../electron/core/keychain/os-keychain';
import { makeHarness, STRONG_PASSWORD, type Harness } from '../../../support/core-harness';

/*
 * "Stay signed in" end to end on the REAL OS keychain (the Secret Service on Linux):
 *   bash scripts/with-keyring.sh npx vitest run test/electron/core/router/remember-os-keychain.test.ts
 * Without a reachable Secret Service the test is skipped locally and FAILS when CI is set:
 * a keychain that cannot be reached in CI must not pass as green.
 */

const probe = await probeKeychain(new OsKeychain(), `local-accounts.test.remember-probe.${randomBytes(6).toString('hex')}`);

function requireSecretService(ctx: TestContext): void {
  if (probe.available) return;
  const why = `no usable Secret Service (${probe.reason}); run under scripts/with-keyring.sh`;
  if (process.env.CI) throw new Error(`The OS keychain must be testable in CI: ${why}`);
  ctx.skip(why);
}

type Login = { sessionId: string; remembered: boolean };

describe('stay signed in on the OS keychain', () => {
  // A name of its own per run: the entry lives under the app's real keychain service.
  const username = `osk_${randomBytes(5).toString('hex')}`;
  const keychain = new OsKeychain();
  let h: Harness | undefined;

  beforeEach((ctx) => requireSecretService(ctx));
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
    if (probe.available) await keychain.deletePassword(APP_ID, username).catch(() => false);
  });

  it('remembers, signs in from another window and after a restart, rotates the token, and forgets', async () => {
    h = await makeHarness({ keychain });
    expect((await h.ok(1, 'app:info')).keychain).toEqual({ available: true });
    await h.ok(1, 'setup:create-admin', { username, password: STRONG_PASSWORD });

    const first = await h.ok<Login>(2, 'auth:login', { username, password: STRONG_PASSWORD, remember: true });
    expect(first.remembered).toBe(true);
    const token1 = await keychain.getPassword(APP_ID, username);
    expect(token1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await h.ok<{ items: { username: string }[] }>(1, 'profiles:list')).items.map((p) => p.username)).toEqual([username]);

    const second = await h.ok<Login>(3, 'auth:login-remembered', { username });
    expect(second.sessionId).not.toBe(first.sessionId);
    const token2 = await keychain.getPassword(APP_ID, username);
    expect(token2).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token2).not.toBe(token1);

    // The token lives in the keyring, not in the instance: a new process (fresh OsKeychain) reads it.
    await h.restart({ keychain: new OsKeychain() });
    expect((await h.call(4, 'auth:login-remembered', { username })).ok).toBe(true);
    const token3 = (await keychain.getPassword(APP_ID, username)) as string;
    expect(token3).not.toBe(token2);

    const base = join(h.dataDir, 'accounts.db');
    const stored = [base, `${base}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('latin1')).join('');
    for (const t of [token1, token2, token3]) expect(stored).not.toContain(t as string);

    const last = await h.ok<Login>(5, 'auth:login', { username, password: STRONG_PASSWORD });
    await h.ok(5, 'auth:logout', { sessionId: last.sessionId, forget: true });
    expect(await keychain.getPassword(APP_ID, username)).toBeNull();
    expect(await h.errorCode(6, 'auth:login-remembered', { username })).toBe('NOT_REMEMBERED');
    expect((await h.ok<{ items: unknown[] }>(1, 'profiles:list')).items).toEqual([]);
  });
});
