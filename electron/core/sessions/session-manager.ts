import type { EndReason, LockReason } from '../../../shared/dto';
import type { Events } from '../../../shared/contract';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { ChangeTracker } from '../db/database';
import { AppError } from '../errors';
import type { Settings } from '../settings';
import { type LiveSession, dueAt, toStored } from './live-session';
import { handleOf, hashSessionId, looksLikeSessionId, newSessionId } from './session-id';
import { RemoteSessionCheck } from './remote-session-check';
import type { SessionStore } from './session-store';

export type SessionSettings = Pick<
  Settings,
  'sessionIdleTimeoutMs' | 'sessionAbsoluteTimeoutMs' | 'idleAction' | 'maxProfilesPerWindow' | 'sudoModeMs'
>;

/** A user's state as the database has it now (another process may have changed it). */
export type UserStatus = 'active' | 'inactive' | 'missing';

export type EventSink = <E extends keyof Events>(senderId: number, event: E, payload: Events[E]) => void;

export interface SessionManagerOptions {
  store: SessionStore;
  clock: Clock;
  settings: SessionSettings;
  changes: ChangeTracker;
  audit: AuditLog;
  emit: EventSink;
  /** Why a row may have vanished: another process deactivated or deleted its user. */
  userStatus: (userId: number) => UserStatus;
  /** Runs fn in one database transaction (batches of ends stay fast and atomic). */
  transaction: <T>(fn: () => T) => T;
  /** The window's set of sessions or their lock state changed (for the Account menu). */
  senderChanged?: (senderId: number) => void;
}

/** Reasons that have no window left to tell. */
const SILENT: ReadonlySet<EndReason> = new Set(['window-closed', 'restart']);

export const sessionInvalid = (): AppError =>
  new AppError('SESSION_INVALID', 'Your session has ended. Sign in again.');

/**
 * Owns every live session of this run: an in-memory index (raw ID -> session) that the
 * hot path reads without touching the database, kept coherent with the store through
 * the ChangeTracker. Enforces sender binding, idle and absolute expiry on every
 * resolve (before any timer runs), one session per profile per window, rotation,
 * lock, and exactly one session:ended event per ended session.
 */
export class SessionManager {
  private readonly byId = new Map<string, LiveSession>();
  private readonly byHash = new Map<string, LiveSession>();
  /** Public handles (64 bits of the hash) for revoke by handle without a scan. */
  private readonly byHandleIndex = new Map<string, LiveSession>();
  private readonly bySender = new Map<number, LiveSession[]>();
  private readonly byUser = new Map<number, Set<LiveSession>>();
  private readonly persistEveryMs: number;
  private readonly remoteCheck: RemoteSessionCheck | null;

  constructor(private readonly o: SessionManagerOptions) {
    this.persistEveryMs = Math.floor(o.settings.sessionIdleTimeoutMs / 10);
    const gate = o.store.remote;
    this.remoteCheck = gate
      ? new RemoteSessionCheck({ manager: this, gate, clock: o.clock, settings: o.settings, userStatus: o.userStatus })
      : null;
  }

  /** Ends what an earlier run left behind (reason `restart`: no window to tell). */
  endLeftovers(): number {
    const n = this.o.store.deleteAll();
    if (n > 0) this.o.audit.record({ type: 'session.ended', detail: { reason: 'restart', count: n } });
    return n;
  }

  /** Signs `userId` in on `senderId`, replacing the profile's earlier session in that window. */
  create(input: { userId: number; senderId: number; backend: string; authAt: number | null }): LiveSession {
    const now = this.o.clock.now();
    const inWindow = this.bySender.get(input.senderId) ?? [];
    const previous = inWindow.find((s) => s.userId === input.userId);
    if (!previous && inWindow.length >= this.o.settings.maxProfilesPerWindow) {
      throw new AppError(
        'TOO_MANY_PROFILES',
        `This window already has ${inWindow.length} profiles signed in. Sign one out first.`,
      );
    }
    const id = newSessionId();
    const hash = hashSessionId(id);
    const live: LiveSession = {
      id,
      hash,
      handle: handleOf(hash),
      userId: input.userId,
      senderId: input.senderId,
      backend: input.backend,
      createdAt: now,
      absoluteExpiresAt: now + this.o.settings.sessionAbsoluteTimeoutMs,
      lastActivityAt: now,
      persistedActivityAt: now,
      locked: false,
      authAt: input.authAt,
      data: {},
      verifiedExternal: this.o.changes.external(),
    };
    this.o.transaction(() => {
      this.o.store.insert(toStored(live, this.o.settings));
      if (previous) this.end(previous, 'replaced');
    });
    this.index(live);
    this.o.senderChanged?.(live.senderId);
    return live;
  }

  /** A live session by its ID, or null; no checks (the router uses resolve()). */
  peek(id: string): LiveSession | null {
    return this.byId.get(id) ?? null;
  }

  byHashValue(hash: string): LiveSession | null {
    return this.byHash.get(hash) ?? null;
  }

  byHandle(handle: string): LiveSession | null {
    return this.byHandleIndex.get(handle) ?? null;
  }

  /**
   * The per-call check. Throws SESSION_INVALID for an unknown, foreign (another
   * window's: defends against a stolen ID replayed elsewhere), ended or expired
   * session. An idle session is ended, or locked with idleAction 'lock' (the caller
   * then sees `locked`). Does not count as activity: see touch().
   */
  resolve(senderId: number, id: string, external = this.o.changes.external()): LiveSession {
    const live = looksLikeSessionId(id) ? this.byId.get(id) : undefined;
    if (!live || live.senderId !== senderId) throw sessionInvalid();
    if (live.verifiedExternal !== external) {
      // Someone wrote to the database: confirm the row still exists (the CLI may have ended it).
      if (!this.o.store.exists(live.hash)) this.vanished(live);
      live.verifiedExternal = external;
    }
    const now = this.o.clock.now();
    if (live.absoluteExpiresAt <= now) {
      this.end(live, 'absolute');
      throw sessionInvalid();
    }
    if (!live.locked && live.lastActivityAt + this.o.settings.sessionIdleTimeoutMs <= now) {
      if (this.o.settings.idleAction === 'lock') this.lock(live, 'idle');
      else {
        this.end(live, 'idle');
        throw sessionInvalid();
      }
    }
    return live;
  }

  /** Networked store only (a no-op otherwise): see RemoteSessionCheck.confirm. */
  async confirm(senderId: number, id: string): Promise<void> {
    await this.remoteCheck?.confirm(senderId, id);
  }

  /** Networked store: ends every live session the store no longer holds (the sweeper's check). */
  async reconcileRemote(): Promise<number> {
    return this.remoteCheck ? this.remoteCheck.sweep() : 0;
  }

  /** A point in a networked store's write journal (0 for local stores). */
  mark(): number {
    return this.o.store.remote?.mark() ?? 0;
  }

  /** Waits until the store holds the writes made after `since` (a no-op for local stores). */
  async commit(since: number): Promise<void> {
    await this.o.store.remote?.commit(since);
  }

  get remote(): boolean {
    return this.remoteCheck !== null;
  }

  /** Records activity: exact in memory, persisted at most once per idle/10 (no write per call). */
  touch(live: LiveSession): void {
    const now = this.o.clock.now();
    live.lastActivityAt = now;
    if (now - live.persistedActivityAt >= this.persistEveryMs) {
      live.persistedActivityAt = now;
      this.o.store.update(live.hash, { lastActivityAt: now, dueAt: dueAt(live, this.o.settings) });
    }
  }

  /** Ends a session once: store row, audit entry, one session:ended event (unless silent). */
  end(live: LiveSession, reason: EndReason): void {
    if (this.byId.get(live.id) !== live) return;
    this.unindex(live);
    this.o.store.delete(live.hash);
    this.o.senderChanged?.(live.senderId);
    this.o.audit.record({ type: 'session.ended', userId: live.userId, detail: { handle: live.handle, reason } });
    if (!SILENT.has(reason)) {
      this.o.emit(live.senderId, 'session:ended', { sessionId: live.id, handle: live.handle, reason });
    }
  }

  /**
   * Removes a session that was never handed out (its sign-in failed half-way): no
   * event, no audit entry, since nobody ever held its ID.
   */
  discard(live: LiveSession): void {
    if (this.byId.get(live.id) !== live) return;
    this.unindex(live);
    this.o.store.delete(live.hash);
    this.o.senderChanged?.(live.senderId);
  }

  /** Ends the user's sessions (all, or all but one): password change, deactivation, deletion. */
  endUser(userId: number, reason: EndReason, except?: { hash: string }): number {
    const victims = [...(this.byUser.get(userId) ?? [])].filter((s) => s.hash !== except?.hash);
    this.o.transaction(() => victims.forEach((s) => this.end(s, reason)));
    return victims.length;
  }

  endSender(senderId: number, reason: EndReason): number {
    const victims = [...(this.bySender.get(senderId) ?? [])];
    this.o.transaction(() => victims.forEach((s) => this.end(s, reason)));
    return victims.length;
  }

  /** Locks a session; false when it already was. */
  lock(live: LiveSession, reason: LockReason): boolean {
    if (live.locked) return false;
    live.locked = true;
    this.o.store.update(live.hash, { locked: true, dueAt: dueAt(live, this.o.settings) });
    this.o.audit.record({ type: 'session.locked', userId: live.userId, detail: { handle: live.handle, reason } });
    this.o.senderChanged?.(live.senderId);
    this.o.emit(live.senderId, 'session:locked', { sessionId: live.id, handle: live.handle, reason });
    return true;
  }

  lockAll(reason: LockReason): number {
    const now = this.o.clock.now();
    const { sessionIdleTimeoutMs, idleAction } = this.o.settings;
    let n = 0;
    this.o.transaction(() => {
      for (const s of [...this.byId.values()]) {
        // A session already past its expiry (the sweeper has not run yet) ends as the next
        // call would end it: locking it would let an unlock revive an ended session.
        if (s.absoluteExpiresAt <= now) this.end(s, 'absolute');
        else if (idleAction === 'logout' && !s.locked && s.lastActivityAt + sessionIdleTimeoutMs <= now) this.end(s, 'idle');
        else if (this.lock(s, reason)) n++;
      }
    });
    return n;
  }

  /**
   * Issues a new ID for the same sign-in (login, unlock, password change): the old ID
   * stops working at once (session fixation), the data moves over. `authAt` records a
   * password entry. Unlocks and counts as activity.
   */
  rotate(live: LiveSession, authAt: number | null): LiveSession {
    const now = this.o.clock.now();
    const id = newSessionId();
    const hash = hashSessionId(id);
    const next: LiveSession = {
      ...live,
      id,
      hash,
      handle: handleOf(hash),
      locked: false,
      authAt: authAt ?? live.authAt,
      lastActivityAt: now,
      persistedActivityAt: now,
      verifiedExternal: this.o.changes.external(),
    };
    if (!this.o.store.rotate(live.hash, toStored(next, this.o.settings))) this.vanished(live);
    this.unindex(live, next);
    this.index(next);
    this.o.senderChanged?.(next.senderId);
    return next;
  }

  /** Persists session data; a session ended elsewhere is never resurrected by a write. */
  saveData(live: LiveSession): void {
    if (!this.o.store.update(live.hash, { data: JSON.stringify(live.data) })) this.vanished(live);
  }

  /**
   * Ends a session whose row another process removed, with the reason the window
   * should show: `deactivated` or `deleted` when that is what happened to its user
   * (`manage deactivate` removes the rows in the same transaction), else `revoked`.
   */
  private vanished(live: LiveSession): never {
    const status = this.o.userStatus(live.userId);
    this.end(live, status === 'missing' ? 'deleted' : status === 'inactive' ? 'deactivated' : 'revoked');
    throw sessionInvalid();
  }

  setAuthAt(live: LiveSession, at: number): void {
    live.authAt = at;
    this.o.store.update(live.hash, { authAt: at });
  }

  ofSender(senderId: number): readonly LiveSession[] {
    return this.bySender.get(senderId) ?? [];
  }

  ofUser(userId: number): LiveSession[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  all(): IterableIterator<LiveSession> {
    return this.byId.values();
  }

  userIds(): number[] {
    return [...this.byUser.keys()];
  }

  get size(): number {
    return this.byId.size;
  }

  private index(s: LiveSession): void {
    this.byId.set(s.id, s);
    this.byHash.set(s.hash, s);
    this.byHandleIndex.set(s.handle, s);
    let users = this.byUser.get(s.userId);
    if (!users) this.byUser.set(s.userId, (users = new Set()));
    users.add(s);
    // Keep login order in the window; a rotated session takes its predecessor's place.
    const list = this.bySender.get(s.senderId);
    if (!list) this.bySender.set(s.senderId, [s]);
    else if (!list.includes(s)) list.push(s);
  }

  private unindex(s: LiveSession, replacement?: LiveSession): void {
    this.byId.delete(s.id);
    this.byHash.delete(s.hash);
    if (this.byHandleIndex.get(s.handle) === s) this.byHandleIndex.delete(s.handle);
    const users = this.byUser.get(s.userId);
    users?.delete(s);
    if (users && users.size === 0) this.byUser.delete(s.userId);
    const list = this.bySender.get(s.senderId);
    if (!list) return;
    const i = list.indexOf(s);
    if (i >= 0) {
      if (replacement) list[i] = replacement;
      else list.splice(i, 1);
    }
    if (list.length === 0) this.bySender.delete(s.senderId);
  }
}
