import { loadSettings, type Settings } from '../../core/settings';
import type { RedisSessionStore } from '../../core/sessions/stores/redis-session-store';
import { CliError, EXIT } from '../cli-errors';
import { VIA_MANAGE } from '../cli-context';
import { requireExistingDatabase } from '../data-dir';
import { plural, withCliContext, type Command } from './command';

/**
 * The `idleBefore` of SessionStore.deleteExpired: a session whose persisted activity is
 * at or before it is idle-expired for sure. Persisted activity lags the real one by less
 * than idle/10 (SessionManager writes at most that often), so the cut-off is pushed back
 * by that much: an active session is never removed because its row was a little stale.
 * null with idleAction 'lock': idle sessions are locked, not ended.
 */
export function idleCutoff(now: number, settings: Pick<Settings, 'idleAction' | 'sessionIdleTimeoutMs'>): number | null {
  if (settings.idleAction === 'lock') return null;
  const idle = settings.sessionIdleTimeoutMs;
  return now - idle - Math.ceil(idle / 10);
}

async function clearRedis(store: RedisSessionStore, now: number, cutoff: number | null): Promise<number> {
  try {
    await store.connect();
    return await store.deleteExpired(now, cutoff);
  } catch {
    throw new CliError('The session server (Redis) cannot be reached: nothing was removed.');
  }
}

/** Django's clearsessions: deletes expired session rows (absolute, or idle past the margin). */
export const clearSessionsCommand: Command = {
  name: 'clearsessions',
  summary: 'Remove expired sessions from the database.',
  synopsis: 'clearsessions [--data-dir DIR]',
  description: [
    'Deletes sessions past their absolute lifetime, and (with idleAction "logout")',
    'unlocked sessions idle for longer than the idle timeout. A running app reports',
    'the ones it still held as revoked. With sessionEngine "memory" there is nothing',
    'to clear: those sessions live only in the app process.',
  ],
  options: {},
  optionHelp: [],
  positionals: [],

  async run({ dataDir, io }) {
    requireExistingDatabase(dataDir);
    const engine = loadSettings(dataDir).sessionEngine;
    if (engine === 'memory') {
      io.stdout.write("Nothing to clear: sessionEngine is 'memory', so sessions live only in the app's process.\n");
      return EXIT.ok;
    }
    return withCliContext(dataDir, { create: false }, async (ctx) => {
      const now = ctx.clock.now();
      const cutoff = idleCutoff(now, ctx.settings);
      // Redis expires keys by their TTL itself; this removes what is past its deadline by
      // the persisted activity, and cleans the index entries of keys that expired.
      const removed = ctx.redis ? await clearRedis(ctx.redis.store, now, cutoff) : ctx.sessions.deleteExpired(now, cutoff);
      if (removed > 0) {
        ctx.audit.record({ type: 'sessions.revoked', detail: { count: removed, reason: 'expired', ...VIA_MANAGE } });
      }
      io.stdout.write(`Removed ${plural(removed, 'expired session')}.\n`);
      return EXIT.ok;
    });
  },
};
