import { existsSync, readFileSync } from 'node:fs';
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

/** Reads settings.json (if any), applies overrides, validates the result. */
export function loadSettings(dataDir: string, overrides: Partial<SettingsInput> = {}): Settings {
  const file = join(dataDir, SETTINGS_FILE);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      // Editors on Windows may save UTF-8 with a byte-order mark, which JSON.parse rejects.
      parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
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
