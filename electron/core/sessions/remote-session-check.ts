import type { EndReason } from '../../../shared/dto';
import type { Clock } from '../clock';
import type { LiveSession } from './live-session';
import type { SessionManager, SessionSettings, UserStatus } from './session-manager';
import { looksLikeSessionId } from './session-id';
import type { RemoteGate } from './session-store';

export interface RemoteSessionCheckOptions {
  manager: SessionManager;
  gate: RemoteGate;
  clock: Clock;
  settings: Pick<SessionSettings, 'sessionIdleTimeoutMs'>;
  userStatus: (userId: number) => UserStatus;
}

/**
 * Coherence of the live index with a networked store (Redis), without keyspace
 * notifications: the store is asked, per call and per sweep, which sessions it no
 * longer holds, and those end here with the reason their window should show.
 */
export class RemoteSessionCheck {
  constructor(private readonly o: RemoteSessionCheckOptions) {}

  /**
   * One round trip before a call is served. A session removed from outside (another
   * station, redis-cli, the CLI) or expired by TTL ends here, so the resolve that
   * follows refuses it. Throws STORE_UNAVAILABLE when the store cannot be reached:
   * the call is refused, the session is kept.
   */
  async confirm(senderId: number, id: string): Promise<void> {
    const live = looksLikeSessionId(id) ? this.o.manager.peek(id) : null;
    if (!live || live.senderId !== senderId) return;
    const missing = await this.o.gate.missing([live.hash]);
    if (missing.has(live.hash) && this.o.manager.peek(id) === live) this.o.manager.end(live, this.goneReason(live));
  }

  /** The sweeper's check: one pipeline over every live session; returns how many ended. */
  async sweep(): Promise<number> {
    const live = [...this.o.manager.all()];
    if (live.length === 0) return 0;
    const missing = await this.o.gate.missing(live.map((s) => s.hash));
    let ended = 0;
    for (const s of live) {
      if (missing.has(s.hash) && this.o.manager.byHashValue(s.hash) === s) {
        this.o.manager.end(s, this.goneReason(s));
        ended++;
      }
    }
    return ended;
  }

  /**
   * Why a session is no longer in the store: its TTL ran out (the core's clock says
   * which deadline passed), or someone removed it (its user's state says why).
   */
  private goneReason(live: LiveSession): EndReason {
    const now = this.o.clock.now();
    if (live.absoluteExpiresAt <= now) return 'absolute';
    if (!live.locked && live.lastActivityAt + this.o.settings.sessionIdleTimeoutMs <= now) return 'idle';
    const status = this.o.userStatus(live.userId);
    return status === 'missing' ? 'deleted' : status === 'inactive' ? 'deactivated' : 'revoked';
  }
}
