import { hostname } from 'node:os';
import type { AuditLog } from '../../audit/audit-log';
import type { Clock } from '../../clock';
import type { Sqlite } from '../../db/database';
import type { Logger } from '../../log';
import type { Redis } from 'ioredis';
import { SettingsError, type Settings } from '../../settings';
import { RedisTlsFileError, createRedisClient } from './redis-connection';
import { RedisSessionCache } from './redis-session-cache';
import { RedisSessionStore } from './redis-session-store';

/** How long a Redis command may go unanswered before the call fails with STORE_UNAVAILABLE. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000;

/** This installation's id, created once by the 'installation' migration. */
export function installationId(db: Sqlite): string {
  return db.prepare<[], string>('SELECT id FROM installation').pluck().get() as string;
}

/** Every key of one installation starts with this: `la:<installation id>:`. */
export const keyPrefix = (installation: string): string => `la:${installation}:`;

/**
 * The key TTL allowance after the persisted activity: the idle timeout plus the
 * write-throttling slack (activity is persisted at most every idle/10, so the real
 * activity may be that much later than the stored one). -1 with idleAction 'lock':
 * an idle session is locked, not ended, so only the absolute deadline counts.
 */
export function idleTtlMs(settings: Pick<Settings, 'idleAction' | 'sessionIdleTimeoutMs'>): number {
  if (settings.idleAction === 'lock') return -1;
  return settings.sessionIdleTimeoutMs + Math.ceil(settings.sessionIdleTimeoutMs / 10);
}

/** The async store on its own client (the manage CLI's view: no mirror, no journal). */
export function openRedisStore(o: { db: Sqlite; settings: Settings; clock: Clock; name: string }): RedisSessionStore {
  let client: Redis;
  try {
    client = createRedisClient({
      url: o.settings.redisUrl ?? '',
      tls: o.settings.redisTls,
      commandTimeoutMs: o.settings.redisCommandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      name: o.name,
    });
  } catch (e) {
    if (e instanceof RedisTlsFileError) throw new SettingsError(`Invalid settings: ${e.message}`);
    throw e;
  }
  // Failures reach the caller through the command that failed; ioredis would otherwise
  // print every connection error (with a stack) to stderr.
  client.on('error', () => {});
  return new RedisSessionStore({
    client, prefix: keyPrefix(installationId(o.db)), now: () => o.clock.now(), idleTtlMs: idleTtlMs(o.settings),
  });
}

/** The app's redis engine: the client, the store, and the coherent cache the SessionManager uses. */
export function openRedisSessions(o: {
  db: Sqlite;
  settings: Settings;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
}): RedisSessionCache {
  const remote = openRedisStore({ ...o, name: `local-accounts:${hostname()}`.replace(/[^\x21-\x7e]/g, '_') });
  return new RedisSessionCache({
    client: remote.client,
    remote,
    epochKey: `${remote.prefix}epoch`,
    log: o.log,
    onLeftovers: (count) => {
      if (count > 0) o.audit.record({ type: 'session.ended', detail: { reason: 'restart', count } });
    },
  });
}
