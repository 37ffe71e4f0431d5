import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseRedisUrl } from './sessions/stores/redis-connection';

/**
 * Settings: defaults, then <dataDir>/settings.json, then the `settings` option of
 * createCore. Unknown keys and out-of-range values are refused at start with a
 * message naming the key, never ignored: a typo in a security setting must not
 * silently fall back to a default.
 */
export const settingsSchema = z
  .strictObject({
    authBackends: z.array(z.string().min(1)).min(1).default(['local-db', 'keychain']),
    sessionEngine: z.enum(['sqlite', 'memory', 'redis']).default('sqlite'),
    /** redis://[user:password@]host[:port][/db] or rediss:// (TLS); see README "Several machines, one Redis". */
    redisUrl: z.string().min(1).max(2048).optional(),
    /** TLS for rediss:// (PEM file paths); the server's certificate is verified unless told otherwise. */
    redisTls: z
      .strictObject({
        caFile: z.string().min(1).optional(),
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
        servername: z.string().min(1).optional(),
        rejectUnauthorized: z.boolean().optional(),
      })
      .optional(),
    /** A Redis command without an answer in this time fails with STORE_UNAVAILABLE (a stalled server); default 2000. */
    redisCommandTimeoutMs: z.number().int().min(50).max(60_000).optional(),
    sessionIdleTimeoutMs: z.number().int().min(1000).max(86_400_000).default(900_000),
    sessionAbsoluteTimeoutMs: z.number().int().min(1000).max(30 * 86_400_000).default(43_200_000),
    sweepIntervalMs: z.number().int().min(1000).max(3_600_000).default(15_000),
    idleAction: z.enum(['logout', 'lock']).default('logout'),
    maxProfilesPerWindow: z.number().int().min(1).max(20).default(5),
    sudoModeMs: z.number().int().min(0).max(3_600_000).default(300_000),
    bcryptCost: z.number().int().min(4).max(16).default(12),
    passwordMinLength: z.number().int().min(8).max(64).default(12),
    loginMaxFailures: z.number().int().min(1).max(100).default(5),
    rememberDays: z.number().int().min(0).max(365).default(30),
    lockOnSuspend: z.boolean().default(true),
    lockOnScreenLock: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if (s.sessionAbsoluteTimeoutMs < s.sessionIdleTimeoutMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['sessionAbsoluteTimeoutMs'],
        message: 'must be at least sessionIdleTimeoutMs',
      });
    }
    if (s.sessionEngine === 'redis' && !s.redisUrl) {
      ctx.addIssue({ code: 'custom', path: ['redisUrl'], message: "is required when sessionEngine is 'redis'" });
    }
    // Never quotes the URL back: it may hold a password.
    const target = s.redisUrl === undefined ? null : parseRedisUrl(s.redisUrl);
    if (typeof target === 'string') ctx.addIssue({ code: 'custom', path: ['redisUrl'], message: target });
    if (s.redisTls && !(target && typeof target !== 'string' && target.tls)) {
      ctx.addIssue({ code: 'custom', path: ['redisTls'], message: 'applies only to a rediss:// redisUrl' });
    }
    if (s.redisTls && Boolean(s.redisTls.certFile) !== Boolean(s.redisTls.keyFile)) {
      ctx.addIssue({ code: 'custom', path: ['redisTls'], message: 'needs both certFile and keyFile, or neither' });
    }
  });

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export const SETTINGS_FILE = 'settings.json';

/** The authentication backends every build has; createCore's `backends` option may add more. */
export const BUILT_IN_AUTH_BACKENDS: readonly string[] = ['local-db', 'keychain'];

/**
 * What the schema cannot know: settings that parse but that this build cannot run with.
 * The app refuses them at start and `manage` refuses them the same way, through this one
 * function, so a settings.json the app will not start with is never accepted offline.
 * `backends`: the names available (BUILT_IN_AUTH_BACKENDS, plus the app's custom ones).
 */
export function requireUsableSettings(settings: Settings, backends: Iterable<string>): void {
  const available = new Set(backends);
  const missing = settings.authBackends.filter((n) => !available.has(n));
  if (missing.length > 0) {
    throw new SettingsError(`Invalid settings: "authBackends" names unknown backend(s) ${missing.map((n) => `"${n}"`).join(', ')}`);
  }
}

/**
 * settings.json as text. UTF-8 only (with or without the byte-order mark some Windows
 * editors write); a folder, a UTF-16 file or bytes that are not UTF-8 get a sentence
 * that says what to do, not a JSON parser's complaint about the first odd character.
 */
function readSettingsText(file: string): string {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) throw new SettingsError(`${file} is a folder, not a settings file: remove it or replace it with a JSON file.`);
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof SettingsError) throw e;
    throw new SettingsError(`Cannot read ${file}: ${(e as Error).message}`);
  }
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.subarray(0, 64).includes(0);
  if (utf16) throw new SettingsError(`${file} is saved as UTF-16: save it again as UTF-8 (plain JSON text).`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // drops a leading byte-order mark
  } catch {
    throw new SettingsError(`${file} is not UTF-8 text: save it again as UTF-8 (plain JSON text).`);
  }
}

/** Reads settings.json (if any), applies overrides, validates the result. */
export function loadSettings(dataDir: string, overrides: Partial<SettingsInput> = {}): Settings {
  const file = join(dataDir, SETTINGS_FILE);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    const text = readSettingsText(file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new SettingsError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SettingsError(`${file} must contain a JSON object`);
    }
    fromFile = parsed as Record<string, unknown>;
  }
  // An override left undefined (`{ bcryptCost: opts.cost }`) means "not given": it must
  // not wipe out the value from settings.json and silently fall back to the default.
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return parseSettings({ ...fromFile, ...given }, existsSync(file) ? file : 'settings');
}

export function parseSettings(input: unknown, source = 'settings'): Settings {
  const result = settingsSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown setting ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    const key = issue.path.join('.') || '(root)';
    return `"${key}" ${issue.message}`;
  });
  throw new SettingsError(`Invalid ${source}: ${problems.join('; ')}`);
}
