/**
 * Persistence port for sessions. The SessionManager keeps the live index in memory
 * (the hot path never waits on a store); a store records what must survive in the
 * database: who is signed in, until when, their session data, so the manage CLI and
 * the admin console can see and end sessions, and a restart can end the leftovers.
 *
 * Only SHA-256(session ID) ever reaches a store.
 */
export interface StoredSession {
  hash: string;
  userId: number;
  senderId: number;
  backend: string;
  createdAt: number;
  /** Last activity as persisted (at most sessionIdleTimeoutMs / 10 behind the real one). */
  lastActivityAt: number;
  absoluteExpiresAt: number;
  /** Next time the sweeper must look at this session: never later than its real expiry. */
  dueAt: number;
  locked: boolean;
  /** Last password entry (sudo mode); null for a remembered sign-in. */
  authAt: number | null;
  /** Session data as JSON text. */
  data: string;
}

export type SessionPatch = Partial<Pick<StoredSession, 'lastActivityAt' | 'dueAt' | 'locked' | 'authAt' | 'data'>>;

export interface SessionPage {
  items: StoredSession[];
  total: number;
}

export interface SessionStore {
  /** Present only for a networked store (see RemoteGate); absent for sqlite and memory. */
  readonly remote?: RemoteGate;
  /** Throws when the hash is already stored. */
  insert(session: StoredSession): void;
  /** A copy; null (and nothing created) for an unknown hash. */
  get(hash: string): StoredSession | null;
  exists(hash: string): boolean;
  /**
   * Applies the patch: a field left undefined is left alone (authAt: null clears the
   * sudo time). False when the session no longer exists: it is never re-created, so a
   * session ended elsewhere cannot come back (Django's no-resurrection rule).
   */
  update(hash: string, patch: SessionPatch): boolean;
  /**
   * Atomically replaces `oldHash` by `next` (rotation); false when `oldHash` was gone
   * (nothing is created). Throws when `next.hash` is taken, leaving both rows as they were.
   */
  rotate(oldHash: string, next: StoredSession): boolean;
  delete(hash: string): boolean;
  /** Deletes many at once (one transaction); returns how many existed. */
  deleteMany(hashes: readonly string[]): number;
  /** Ends everything (start-up: sessions never outlive the run). */
  deleteAll(): number;
  /** Hashes whose dueAt <= now, by an index, not a scan. */
  dueBefore(now: number): string[];
  /**
   * The manage CLI's clearsessions: deletes sessions past their absolute expiry, or
   * unlocked ones whose persisted activity is at or before `idleBefore` (null: idle
   * sessions are locked, not ended). Returns how many it deleted.
   */
  deleteExpired(now: number, idleBefore: number | null): number;
  /** Oldest first (createdAt, then hash): pages neither repeat nor skip a session. */
  list(query: { userId?: number; offset: number; limit: number }): SessionPage;
  allHashes(): Set<string>;
  count(): number;
}

/** The same operations for a networked store (Redis): every call is a round trip. */
export type AsyncSessionStore = {
  [K in Exclude<keyof SessionStore, 'remote'>]-?: SessionStore[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

/** What the app reports about its session store (app:info). */
export interface StoreStatus {
  engine: 'sqlite' | 'memory' | 'redis';
  available: boolean;
  /** Why it is unavailable, in words for a person (never a password or URL with one). */
  reason?: string;
}

/**
 * The extra surface of a store whose truth lives outside this process (Redis). The
 * SessionManager keeps using the synchronous port against an in-memory mirror of this
 * station's sessions; the gate is what makes that mirror coherent and durable:
 *  - missing(): one round trip asking which of these sessions are gone from the
 *    store (deleted by another station, redis-cli, the CLI, or expired by TTL);
 *  - commit(since): waits until the writes made after mark() reached the store.
 * Both reject with AppError STORE_UNAVAILABLE while the store cannot be reached.
 */
export interface RemoteGate {
  missing(hashes: readonly string[]): Promise<Set<string>>;
  /** A point in the write journal (before a call's writes). */
  mark(): number;
  /** Waits for the writes made after `since` to reach the store (older failures are not this call's). */
  commit(since: number): Promise<void>;
  status(): StoreStatus;
}
