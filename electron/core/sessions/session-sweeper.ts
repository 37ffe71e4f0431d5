import type { Clock, Scheduler } from '../clock';
import type { ChangeTracker } from '../db/database';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { dueAt } from './live-session';
import type { SessionManager, SessionSettings, UserStatus } from './session-manager';
import type { SessionStore } from './session-store';

export interface SessionSweeperOptions {
  manager: SessionManager;
  store: SessionStore;
  clock: Clock;
  scheduler: Scheduler;
  changes: ChangeTracker;
  settings: SessionSettings & { sweepIntervalMs: number };
  /** Fresh state of a user (another process may have deactivated or deleted them). */
  userStatus: (userId: number) => UserStatus;
  transaction: <T>(fn: () => T) => T;
  log: Logger;
}

/**
 * Ends what is due, every sweepIntervalMs on the injected scheduler. Finds due
 * sessions by the store's index (not a scan of the live set), and reconciles with
 * the database only when another process has written to it (manage CLI), reporting
 * what it ended there with reason `revoked` (or `deactivated` / `deleted`).
 */
export class SessionSweeper {
  private cancel: (() => void) | null = null;
  private seenExternal: number;

  constructor(private readonly o: SessionSweeperOptions) {
    this.seenExternal = o.changes.external();
  }

  start(): void {
    if (this.cancel) return;
    this.cancel = this.o.scheduler.every(this.o.settings.sweepIntervalMs, () => {
      try {
        this.sweep();
      } catch (e) {
        this.o.log.error('session sweep failed', { error: (e as Error).message });
      }
      if (this.o.manager.remote) void this.sweepRemote();
    });
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  /** Ends every session due now; returns how many ended. */
  sweep(): number {
    const { manager, store, settings } = this.o;
    const now = this.o.clock.now();
    let ended = 0;
    this.o.transaction(() => {
      const external = this.o.changes.external();
      if (external !== this.seenExternal) {
        this.seenExternal = external;
        ended += this.reconcile();
      }
      // In key order: consecutive deletes then land on the same b-tree pages.
      for (const hash of store.dueBefore(now).sort()) {
        const live = manager.byHashValue(hash);
        if (!live) {
          store.delete(hash); // a row with no live session: nothing to tell anyone
          continue;
        }
        if (live.absoluteExpiresAt <= now) {
          manager.end(live, 'absolute');
          ended++;
        } else if (!live.locked && live.lastActivityAt + settings.sessionIdleTimeoutMs <= now) {
          if (settings.idleAction === 'lock') manager.lock(live, 'idle');
          else {
            manager.end(live, 'idle');
            ended++;
          }
        } else {
          // Active since the row was written: persist the real activity so it is not due again.
          live.persistedActivityAt = live.lastActivityAt;
          store.update(hash, { lastActivityAt: live.lastActivityAt, dueAt: dueAt(live, settings) });
        }
      }
    });
    return ended;
  }

  /** The sweep, then (networked store) the sessions the store no longer holds. */
  async sweepAll(): Promise<number> {
    const ended = this.sweep();
    return this.o.manager.remote ? ended + (await this.sweepRemote()) : ended;
  }

  /**
   * Networked store: one round trip over this station's live sessions ends those
   * removed from outside (`revoked`, ...) or expired by TTL (`idle` / `absolute`), so
   * the window hears of it within one sweep interval even if it makes no call. An
   * unreachable store ends nothing: the sessions are kept and checked next time.
   */
  private async sweepRemote(): Promise<number> {
    try {
      return await this.o.manager.reconcileRemote();
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'STORE_UNAVAILABLE')) {
        this.o.log.error('session store check failed', { error: (e as Error).message });
      }
      return 0;
    }
  }

  /** Sessions whose row or user changed under us, found only after an outside write. */
  private reconcile(): number {
    const { manager, store } = this.o;
    let ended = 0;
    for (const userId of manager.userIds()) {
      const status = this.o.userStatus(userId);
      if (status !== 'active') ended += manager.endUser(userId, status === 'missing' ? 'deleted' : 'deactivated');
    }
    const rows = store.allHashes();
    for (const live of [...manager.all()]) {
      if (!rows.has(live.hash)) {
        manager.end(live, 'revoked');
        ended++;
      }
    }
    return ended;
  }
}
