import type { EndReason } from '../../shared/dto';
import type { SessionEnder } from '../core/accounts/account-service';
import type { AuditLog } from '../core/audit/audit-log';
import type { RedisSessionStore } from '../core/sessions/stores/redis-session-store';
import { VIA_MANAGE } from './cli-context';

const ALL = Number.MAX_SAFE_INTEGER;

/**
 * The CLI's SessionEnder for the redis engine. AccountService ends sessions inside a
 * synchronous SQLite transaction, where no network call can run; so the user's sessions
 * are read from Redis before the command (prepare), counted when it ends them, and
 * deleted right after the transaction commits (flush) by the user's index, sessions
 * signed in meanwhile included. A running app refuses those sessions on their next
 * call and reports them as revoked (or deactivated) within one sweep.
 */
export class RedisSessionEnder implements SessionEnder {
  /** How many sessions this ender ended so far. */
  ended = 0;
  private readonly known = new Map<number, string[]>();
  private readonly pending: { userId: number; reason: EndReason; keep: string | null }[] = [];

  constructor(
    readonly store: RedisSessionStore,
    private readonly audit: AuditLog,
  ) {}

  /** Reads the user's sessions (one round trip): fails here, before anything is changed, if Redis is out of reach. */
  async prepare(userId: number): Promise<void> {
    await this.store.connect();
    this.known.set(userId, (await this.store.list({ userId, offset: 0, limit: ALL })).items.map((s) => s.hash));
  }

  endUser(userId: number, reason: EndReason, except?: { hash: string }): number {
    const keep = except?.hash ?? null;
    this.pending.push({ userId, reason, keep });
    const n = (this.known.get(userId) ?? []).filter((h) => h !== keep).length;
    this.ended += n;
    return n;
  }

  /** Deletes what endUser decided, from the user's index as it is now. */
  async flush(): Promise<void> {
    for (const p of this.pending.splice(0)) {
      const hashes = (await this.store.list({ userId: p.userId, offset: 0, limit: ALL })).items
        .map((s) => s.hash)
        .filter((h) => h !== p.keep);
      const n = await this.store.deleteMany(hashes);
      if (n > 0) this.audit.record({ type: 'sessions.revoked', userId: p.userId, detail: { count: n, reason: p.reason, ...VIA_MANAGE } });
    }
  }

  close(): void {
    this.store.client.disconnect();
  }
}
