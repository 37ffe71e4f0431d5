import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { KeychainUnavailableError, probeKeychain } from '../../../../electron/core/keychain/keychain';
import { OsKeychain, reasonForKeyringError } from '../../../../electron/core/keychain/os-keychain';
import { describeKeychainContract } from './keychain-contract';
import { bareBus } from '../../../support/bare-bus';

/*
 * The real OS keychain. On Linux it needs a D-Bus session with an unlocked Secret Service:
 *   bash scripts/with-keyring.sh npx vitest run test/electron/core/keychain
 * Without one, the Secret Service tests are skipped at run time locally and FAIL when CI is
 * set: a keychain that cannot be started in CI must not pass as green.
 */

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const osKeychainPath = path.join(repoRoot, 'electron/core/keychain/os-keychain.ts');
const testService = (label: string) => `local-accounts.test.${label}.${randomBytes(6).toString('hex')}`;

// Probing never poisons this process: without DBUS_SESSION_BUS_ADDRESS the keychain refuses
// before the library connects (libdbus reads the bus address once per process).
const secretService = await probeKeychain(new OsKeychain(), testService('probe'));

function requireSecretService(ctx: TestContext): void {
  if (secretService.available) return;
  const why = `no usable Secret Service (${secretService.reason}); run under scripts/with-keyring.sh`;
  if (process.env.CI) throw new Error(`The OS keychain must be testable in CI: ${why}`);
  ctx.skip(why);
}

describe('OsKeychain on the Secret Service', () => {
  beforeEach((ctx) => requireSecretService(ctx));

  describeKeychainContract('OsKeychain', () => new OsKeychain());

  it('passes the availability probe', async () => {
    expect(await probeKeychain(new OsKeychain(), testService('probe-again'))).toEqual({ available: true });
  });

  it('stores in the keyring, not in the instance: a fresh instance reads it back', async () => {
    const service = testService('fresh');
    await new OsKeychain().setPassword(service, 'alice', 'shared-secret');
    const other = new OsKeychain();
    expect(await other.getPassword(service, 'alice')).toBe('shared-secret');
    expect(await other.deletePassword(service, 'alice')).toBe(true);
  });

  it('keeps working when cached entries are evicted', async () => {
    const service = testService('evict');
    const k = new OsKeychain({ maxCachedEntries: 2 });
    for (const account of ['a', 'b', 'c']) await k.setPassword(service, account, `secret-${account}`);
    for (const account of ['a', 'b', 'c']) expect(await k.getPassword(service, account)).toBe(`secret-${account}`);
    for (const account of ['c', 'a', 'b']) expect(await k.deletePassword(service, account)).toBe(true);
    expect(await k.findCredentials(service)).toEqual([]);
  });
});

describe('OsKeychain without a session bus (env option)', () => {
  const noBus = () => new OsKeychain({ platform: 'linux', env: { HOME: os.homedir() } });

  it('rejects every call with KeychainUnavailableError and a readable reason', async () => {
    const k = noBus();
    const calls = [
      k.getPassword('svc', 'alice'),
      k.setPassword('svc', 'alice', 'secret'),
      k.deletePassword('svc', 'alice'),
      k.findCredentials('svc'),
    ];
    for (const call of calls) {
      const err = await call.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeychainUnavailableError);
      expect((err as KeychainUnavailableError).reason).toMatch(/D-Bus/);
    }
    expect(await probeKeychain(k, 'svc')).toEqual({ available: false, reason: expect.stringMatching(/D-Bus/) });
  });

  it('stores nothing silently: a fresh instance never returns the secret', async () => {
    const service = testService('nobus');
    await expect(noBus().setPassword(service, 'alice', 'must-not-persist')).rejects.toBeInstanceOf(
      KeychainUnavailableError,
    );
    await expect(noBus().getPassword(service, 'alice')).rejects.toBeInstanceOf(KeychainUnavailableError);
    if (secretService.available) expect(await new OsKeychain().getPassword(service, 'alice')).toBeNull();
  });
});

/**
 * A child process, because libdbus reads the bus address once per process: pointing this
 * process at a dead bus would break every later test in it. The child also checks the
 * kernel keyring (keyutils), the library's silent fallback, for the secret.
 */
const CHILD = `
const [modulePath, service, secret] = process.argv.slice(1);
const { OsKeychain } = await import(modulePath);
const { AsyncEntry } = await import('@napi-rs/keyring');
const outcome = async (p) => p.then((v) => ({ ok: v ?? null }), (e) => ({ name: e.name, reason: e.reason }));
const result = {
  set: await outcome(new OsKeychain().setPassword(service, 'alice', secret)),
  get: await outcome(new OsKeychain().getPassword(service, 'alice')),
  del: await outcome(new OsKeychain().deletePassword(service, 'alice')),
  find: await outcome(new OsKeychain().findCredentials(service)),
  keyutils: await outcome(Promise.resolve().then(() =>
    new AsyncEntry(service, 'alice', { linux: { store: 'keyutils' } }).getPassword())),
};
console.log(JSON.stringify(result));
`;

type ChildResult = Record<string, { ok?: unknown; name?: string; reason?: string }>;

/** Runs CHILD (behind an optional wrapper command); on a hang the whole process group is killed. */
function runChild(env: NodeJS.ProcessEnv, wrapper: string[] = []): Promise<ChildResult> {
  const service = testService('child');
  const args = ['--import', 'tsx', '--input-type=module', '-e', CHILD, osKeychainPath, service, 'child-secret'];
  const [file, ...rest] = [...wrapper, process.execPath, ...args] as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, rest, { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`child failed (${code}): ${stderr.slice(-2000)}`));
      else resolve(JSON.parse(last) as ChildResult);
    });
  });
}

function expectNothingStored(result: ChildResult, reason: RegExp): void {
  for (const op of ['set', 'get', 'del', 'find'] as const) {
    expect(result[op], op).toEqual({ name: 'KeychainUnavailableError', reason: expect.stringMatching(reason) });
  }
  expect(JSON.stringify(result)).not.toContain('child-secret');
}

describe('OsKeychain on a broken Linux desktop (child process)', () => {
  beforeEach((ctx) => {
    if (process.platform !== 'linux') ctx.skip('Linux only');
  });

  it('with a dead bus socket, every call fails and the kernel keyring holds nothing', async () => {
    const dead = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keychain-dead-bus-')), 'bus');
    try {
      const result = await runChild({ ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${dead}` });
      expectNothingStored(result, /could not be reached/);
    } finally {
      fs.rmSync(path.dirname(dead), { recursive: true, force: true });
    }
  });

  it('with a bus but no Secret Service, every call fails instead of falling back', async (ctx) => {
    const hasDbus = spawnSync('sh', ['-c', 'command -v dbus-run-session'], { stdio: 'ignore' }).status === 0;
    if (!hasDbus && process.env.CI) throw new Error('dbus-run-session is missing (apt-get install dbus)');
    if (!hasDbus) ctx.skip('dbus-run-session is not installed');
    const bus = bareBus();
    try {
      const result = await runChild(process.env, bus.wrapper);
      expectNothingStored(result, /No Secret Service/);
    } finally {
      bus.cleanup();
    }
  });
});

describe('reasonForKeyringError', () => {
  // Messages measured from @napi-rs/keyring 2.1.2 on Linux.
  it.each([
    ['Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead', /No D-Bus session/],
    ['Platform failure: DBus error: Failed to connect to socket /tmp/x: No such file or directory', /could not be reached/],
    ['zbus error: Failed to connect to address `unix:path=/run/user/0/bus`: No such file or directory (os error 2)', /could not be reached/],
    ['Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files', /No Secret Service/],
    ["Couldn't access platform storage: Secret Service: unlock prompt was dismissed", /locked/],
    ["Couldn't access platform storage: Secret Service: no result found", /no keyring/],
    ['something else entirely /home/alice/secret', /^The OS keychain reported an error\.$/],
  ])('%s', (message, expected) => {
    const reason = reasonForKeyringError(new Error(message));
    expect(reason).toMatch(expected);
    expect(reason).not.toMatch(/\/tmp|\/run|\/home|unix:/);
  });
});
