import { errorFacts, type Logger } from '../log';
import type { LiveSession } from './live-session';

export type ProfilesListener = (senderId: number) => void;

export interface ActiveProfilesOptions {
  /** The window's live sessions in login order (SessionManager.ofSender). */
  ofSender: (senderId: number) => readonly LiveSession[];
  log: Logger;
}

/**
 * Which profile each window shows (the renderer reports it through
 * `profiles:activate`), and one change signal per window for the Account menu:
 * fired when the window's sessions start, end, lock, unlock (rotate) or its active
 * profile changes.
 *
 * The active profile is kept as a user, not a session: an unlock or a password
 * change rotates the session (new ID, new handle) without changing which profile
 * the window shows. It never outlives the user's session in that window.
 *
 * Notifications are coalesced per window and delivered on a microtask: a lockAll of
 * many sessions rebuilds each menu once, and listeners never run inside a database
 * transaction (a listener that threw there would roll the transaction back).
 */
export class ActiveProfiles {
  private readonly activeUser = new Map<number, number>();
  private readonly listeners = new Set<ProfilesListener>();
  private readonly pending = new Set<number>();
  private closed = false;

  constructor(private readonly o: ActiveProfilesOptions) {}

  /** The renderer of `live.senderId` now shows `live`'s profile. */
  activate(live: LiveSession): void {
    if (this.activeUser.get(live.senderId) === live.userId) return;
    this.activeUser.set(live.senderId, live.userId);
    this.changed(live.senderId);
  }

  /** The handle of the window's active session, or null (none reported, or it ended). */
  handleOf(senderId: number): string | null {
    const userId = this.activeUser.get(senderId);
    if (userId === undefined) return null;
    return this.o.ofSender(senderId).find((s) => s.userId === userId)?.handle ?? null;
  }

  /** Called by SessionManager on every start, end, lock and rotation in the window. */
  changed(senderId: number): void {
    if (this.closed) return;
    if (this.pending.size === 0) queueMicrotask(() => this.flush());
    this.pending.add(senderId);
  }

  onChange(listener: ProfilesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** No notification after this (the core is closing). */
  close(): void {
    this.closed = true;
    this.pending.clear();
    this.listeners.clear();
  }

  private flush(): void {
    const senders = [...this.pending];
    this.pending.clear();
    for (const senderId of senders) {
      const userId = this.activeUser.get(senderId);
      if (userId !== undefined && !this.o.ofSender(senderId).some((s) => s.userId === userId)) {
        this.activeUser.delete(senderId);
      }
      for (const l of [...this.listeners]) {
        try {
          l(senderId);
        } catch (e) {
          this.o.log.error('profiles listener failed', errorFacts(e));
        }
      }
    }
  }
}
