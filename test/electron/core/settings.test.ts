import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SETTINGS_FILE,
  SettingsError,
  loadSettings,
  parseSettings,
  type Settings,
  type SettingsInput,
} from '../../../electron/core/settings';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'settings-test-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Asserts a SettingsError whose message contains every given fragment. */
function expectSettingsError(run: () => unknown, ...fragments: string[]): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SettingsError);
  for (const f of fragments) expect((caught as Error).message).toContain(f);
}

const writeSettings = (content: string): string => {
  const file = join(dir, SETTINGS_FILE);
  writeFileSync(file, content);
  return file;
};

describe('defaults (DESIGN.md, "The core API")', () => {
  const expected: Settings = {
    authBackends: ['local-db', 'keychain'],
    sessionEngine: 'sqlite',
    sessionIdleTimeoutMs: 900_000,
    sessionAbsoluteTimeoutMs: 43_200_000,
    sweepIntervalMs: 15_000,
    idleAction: 'logout',
    maxProfilesPerWindow: 5,
    sudoModeMs: 300_000,
    bcryptCost: 12,
    passwordMinLength: 12,
    loginMaxFailures: 5,
    rememberDays: 30,
    lockOnSuspend: true,
    lockOnScreenLock: true,
  };

  it('are exactly the documented ones with no settings.json', () => {
    expect(loadSettings(dir)).toEqual(expected);
  });

  it('are the same from parseSettings({})', () => {
    expect(parseSettings({})).toEqual(expected);
  });
});

describe('sources', () => {
  it('reads settings.json in the data folder', () => {
    writeSettings(JSON.stringify({ bcryptCost: 10, idleAction: 'lock', sessionEngine: 'memory' }));
    const s = loadSettings(dir);
    expect(s.bcryptCost).toBe(10);
    expect(s.idleAction).toBe('lock');
    expect(s.sessionEngine).toBe('memory');
    expect(s.passwordMinLength).toBe(12);
  });

  it('lets the overrides win over settings.json', () => {
    writeSettings(JSON.stringify({ bcryptCost: 10, rememberDays: 7 }));
    const s = loadSettings(dir, { bcryptCost: 4 });
    expect(s.bcryptCost).toBe(4);
    expect(s.rememberDays).toBe(7);
  });

  it('treats an override left undefined as "not given"', () => {
    writeSettings(JSON.stringify({ bcryptCost: 10 }));
    expect(loadSettings(dir, { bcryptCost: undefined }).bcryptCost).toBe(10);
  });

  it('accepts a settings.json saved with a byte-order mark', () => {
    writeSettings('\uFEFF{ "loginMaxFailures": 3 }');
    expect(loadSettings(dir).loginMaxFailures).toBe(3);
  });

  it('refuses invalid JSON, naming the file', () => {
    const file = writeSettings('{ "bcryptCost": 12, }');
    expectSettingsError(() => loadSettings(dir), file, 'not valid JSON');
  });

  it('refuses a settings.json that is not an object, naming the file', () => {
    const file = writeSettings('[1, 2]');
    expectSettingsError(() => loadSettings(dir), file);
  });

  it('names the file when a value in it is out of range', () => {
    const file = writeSettings(JSON.stringify({ sweepIntervalMs: 10 }));
    expectSettingsError(() => loadSettings(dir), file, 'sweepIntervalMs');
  });
});

describe('refusals name the key', () => {
  it('refuses an unknown key (a typo must not fall back to a default)', () => {
    expectSettingsError(() => parseSettings({ sessionIdleTimeoutMS: 1000 }), 'sessionIdleTimeoutMS');
    writeSettings(JSON.stringify({ bcrypt_cost: 4 }));
    expectSettingsError(() => loadSettings(dir), 'bcrypt_cost');
    expectSettingsError(() => loadSettings(dir, { lockOnSleep: false } as Partial<SettingsInput>), 'lockOnSleep');
  });

  // Every numeric setting, one step outside each documented bound.
  const ranges: [keyof SettingsInput, number, number][] = [
    ['sessionIdleTimeoutMs', 1000, 86_400_000],
    ['sweepIntervalMs', 1000, 3_600_000],
    ['maxProfilesPerWindow', 1, 20],
    ['sudoModeMs', 0, 3_600_000],
    ['bcryptCost', 4, 16],
    ['passwordMinLength', 8, 64],
    ['loginMaxFailures', 1, 100],
    ['rememberDays', 0, 365],
  ];

  for (const [key, min, max] of ranges) {
    it(`${key}: accepts ${min} and ${max}, refuses ${min - 1} and ${max + 1}`, () => {
      // A huge absolute timeout keeps the idle/absolute rule out of the way.
      const base = { sessionAbsoluteTimeoutMs: 30 * 86_400_000 };
      expect(parseSettings({ ...base, [key]: min })[key]).toBe(min);
      expect(parseSettings({ ...base, [key]: max })[key]).toBe(max);
      expectSettingsError(() => parseSettings({ ...base, [key]: min - 1 }), `"${key}"`);
      expectSettingsError(() => parseSettings({ ...base, [key]: max + 1 }), `"${key}"`);
    });
  }

  it('sessionAbsoluteTimeoutMs: at most 30 days, never below the idle timeout', () => {
    const max = 30 * 86_400_000;
    expect(parseSettings({ sessionAbsoluteTimeoutMs: max }).sessionAbsoluteTimeoutMs).toBe(max);
    expectSettingsError(() => parseSettings({ sessionAbsoluteTimeoutMs: max + 1 }), '"sessionAbsoluteTimeoutMs"');
    expectSettingsError(
      () => parseSettings({ sessionIdleTimeoutMs: 1000, sessionAbsoluteTimeoutMs: 999 }),
      '"sessionAbsoluteTimeoutMs"',
    );
    const equal = parseSettings({ sessionIdleTimeoutMs: 60_000, sessionAbsoluteTimeoutMs: 60_000 });
    expect(equal.sessionAbsoluteTimeoutMs).toBe(60_000);
  });

  it('refuses absolute < idle when only the idle timeout was raised past the default absolute', () => {
    expectSettingsError(() => parseSettings({ sessionIdleTimeoutMs: 86_400_000 }), '"sessionAbsoluteTimeoutMs"');
  });

  it('refuses fractions and strings for numbers', () => {
    expectSettingsError(() => parseSettings({ bcryptCost: 12.5 }), '"bcryptCost"');
    expectSettingsError(() => parseSettings({ rememberDays: '30' }), '"rememberDays"');
  });

  it('refuses redis without redisUrl, and accepts it with one', () => {
    expectSettingsError(() => parseSettings({ sessionEngine: 'redis' }), '"redisUrl"');
    const s = parseSettings({ sessionEngine: 'redis', redisUrl: 'redis://127.0.0.1:6379' });
    expect(s.redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('validates redisUrl and redisTls without ever quoting the URL (it may hold a password)', () => {
    const secret = 'hunter2-secret';
    for (const [url, fragment] of [
      [`http://u:${secret}@host`, 'must start with redis:// or rediss://'],
      [`redis://u:${secret}@host/abc`, 'database path'],
      [`redis://u:${secret}@host?tls=1`, 'query'],
      [`redis://u:${secret}@host:99999`, 'not a valid URL'],
    ] as const) {
      let message = '';
      try {
        parseSettings({ sessionEngine: 'redis', redisUrl: url });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain(fragment);
      expect(message).not.toContain(secret);
    }
    expect(parseSettings({ sessionEngine: 'redis', redisUrl: `rediss://station:${secret}@redis.lab:6380/2`, redisTls: { caFile: '/etc/ca.pem' } }).redisTls).toEqual({ caFile: '/etc/ca.pem' });
    expectSettingsError(() => parseSettings({ sessionEngine: 'redis', redisUrl: 'redis://h', redisTls: {} }), '"redisTls" applies only to a rediss://');
    expectSettingsError(() => parseSettings({ sessionEngine: 'redis', redisUrl: 'rediss://h', redisTls: { certFile: '/c' } }), 'certFile and keyFile');
    expectSettingsError(() => parseSettings({ redisCommandTimeoutMs: 10 }), '"redisCommandTimeoutMs"');
  });

  it('refuses values outside the enums and an empty backend list', () => {
    expectSettingsError(() => parseSettings({ sessionEngine: 'postgres' }), '"sessionEngine"');
    expectSettingsError(() => parseSettings({ idleAction: 'sleep' }), '"idleAction"');
    expectSettingsError(() => parseSettings({ authBackends: [] }), '"authBackends"');
    expectSettingsError(() => parseSettings({ lockOnSuspend: 'yes' }), '"lockOnSuspend"');
  });

  it('reports every problem at once', () => {
    expectSettingsError(() => parseSettings({ bcryptCost: 99, rememberDays: -1, typo: 1 }), 'bcryptCost', 'rememberDays', 'typo');
  });
});
