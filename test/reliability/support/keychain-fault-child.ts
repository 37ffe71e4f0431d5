/**
 * One keychain fault scenario in a process of its own (libdbus reads the bus address once
 * per process, so a broken bus must never be set in the test runner itself). It builds a
 * core with the DEFAULT keychain (createCore's WorkerKeychain over the OS keychain), drives
 * it through dispatch only, and prints one JSON line `{"result": ChildResult}`.
 *
 *   node --import tsx keychain-fault-child.ts '{"username":…,"password":…,"lock":"none"}'
 *
 * lock: 'before' locks the Secret Service's login collection before the core starts,
 * 'after' once a token has been stored (needs a private gnome-keyring, see with-keyring.sh).
 * The main thread's event-loop lag is measured all along: a blocked main thread would show.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { APP_ID } from '../../../electron/core/app-identity';
import { createCore } from '../../../electron/core/index';
import type { Reply } from '../../../shared/errors';

export interface ChildArgs {
  username: string;
  password: string;
  lock: 'none' | 'before' | 'after';
}

export interface Brief {
  ok: boolean;
  code?: string;
  message?: string;
  remembered?: boolean;
  ms: number;
}

export interface ChildResult {
  startMs: number;
  infoAtStart: { available: boolean; reason?: string };
  /** Only with lock 'after': the sign-ins while the keychain still worked. */
  beforeLock?: { login: Brief; remembered: Brief };
  remembered: Brief;
  passwordLogin: Brief;
  info: { available: boolean; reason?: string };
  plainLogin: Brief;
  maxLagMs: number;
  /**
   * Whether the native keychain library was loaded on the main thread. A synchronous
   * D-Bus call can only block the main thread from there; the WorkerKeychain loads it in
   * its own thread. This is the cause a lag bound would only hint at on a loaded machine.
   */
  keyringOnMainThread: boolean;
  logs: string[];
  /** Lines of /proc/keys naming the app id or the user: the kernel keyring must hold none. */
  kernelKeys: string[] | null;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;

function lockLoginCollection(): void {
  execFileSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.secrets',
      '/org/freedesktop/secrets',
      'org.freedesktop.Secret.Service.Lock',
      'array:objpath:/org/freedesktop/secrets/collection/login',
    ],
    { stdio: 'ignore' },
  );
}

let maxLagMs = 0;
let last = performance.now();
const lagTimer = setInterval(() => {
  const now = performance.now();
  maxLagMs = Math.max(maxLagMs, now - last - 10);
  last = now;
}, 10);

const logs: string[] = [];
const record = (level: string) => (message: string, context?: Record<string, unknown>) => {
  logs.push(`${level} ${message} ${JSON.stringify(context ?? {})}`);
};

const dataDir = mkdtempSync(join(tmpdir(), 'keychain-fault-'));
try {
  if (args.lock === 'before') lockLoginCollection();
  const t0 = performance.now();
  const core = await createCore({
    dataDir,
    logger: { warn: record('warn'), error: record('error') },
    settings: { bcryptCost: 4 },
  });
  const startMs = performance.now() - t0;

  const timed = async (senderId: number, channel: string, payload: object): Promise<Brief> => {
    const start = performance.now();
    const r: Reply = await core.dispatch(senderId, channel, payload);
    const ms = performance.now() - start;
    if (!r.ok) return { ok: false, code: r.error.code, message: r.error.message, ms };
    const data = r.data as { remembered?: boolean };
    return data.remembered === undefined ? { ok: true, ms } : { ok: true, remembered: data.remembered, ms };
  };
  const keychainInfo = async () => {
    const r = await core.dispatch(1, 'app:info', {});
    if (!r.ok) throw new Error(`app:info failed: ${r.error.code}`);
    return (r.data as { keychain: { available: boolean; reason?: string } }).keychain;
  };

  const { username, password } = args;
  const infoAtStart = await keychainInfo();
  const setup = await timed(1, 'setup:create-admin', { username, password });
  if (!setup.ok) throw new Error(`setup failed: ${setup.code}`);

  let beforeLock: ChildResult['beforeLock'];
  if (args.lock === 'after') {
    const login = await timed(2, 'auth:login', { username, password, remember: true });
    const remembered = await timed(3, 'auth:login-remembered', { username });
    beforeLock = { login, remembered };
    lockLoginCollection();
  }

  const remembered = await timed(4, 'auth:login-remembered', { username });
  const passwordLogin = await timed(5, 'auth:login', { username, password, remember: true });
  const info = await keychainInfo();
  const plainLogin = await timed(6, 'auth:login', { username, password });

  let kernelKeys: string[] | null = null;
  try {
    kernelKeys = readFileSync('/proc/keys', 'utf8')
      .split('\n')
      .filter((line) => line.includes(APP_ID) || line.includes(username));
  } catch {
    kernelKeys = null;
  }
  // The module cache is per thread: the worker's copy of the library is not in this one.
  const keyringOnMainThread = Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('@napi-rs/keyring'));
  await core.close();
  clearInterval(lagTimer);
  const result: ChildResult = {
    startMs, infoAtStart, beforeLock, remembered, passwordLogin, info, plainLogin, maxLagMs, keyringOnMainThread, logs, kernelKeys,
  };
  process.stdout.write(`${JSON.stringify({ result })}\n`);
} finally {
  clearInterval(lagTimer);
  rmSync(dataDir, { recursive: true, force: true });
}
