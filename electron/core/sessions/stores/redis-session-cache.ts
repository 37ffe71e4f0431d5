import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../errors';
import { errorFacts, type Logger } from '../../log';
import type { RemoteGate, SessionPage, SessionPatch, SessionStore, StoreStatus, StoredSession } from '../session-store';
import { MemorySessionStore } from './memory-session-store';
import { exec, type RedisSessionStore } from './redis-session-store';

export const storeUnavailable = (): AppError =>
  new AppError('STORE_UNAVAILABLE', 'The session server cannot be reached right now. Try again in a moment.');

export interface RedisSessionCacheOptions {
  client: Redis;
  remote: RedisSessionStore;
  /** Key holding this run's token: tells "Redis kept our keys" from "Redis lost everything". */
  epochKey: string;
  log: Logger;
  /** Called once, when the first connection has ended the leftovers of an earlier run. */
  onLeftovers: (count: number) => void;
}

/**
 * The synchronous SessionStore port in front of the asynchronous Redis store: a
 * mirror of THIS station's sessions (the SessionManager's hot path never waits on the
 * network for reads it already knows) plus a write journal to Redis.
 *
 * - Writes apply to the mirror at once and go to Redis in order on one connection
 *   (ioredis pipelines them); commit() waits for them, so a login or a rotation is
 *   answered only once Redis has the session.
 * - Coherence (missing()): one EXISTS round trip per call tells a session deleted from
 *   outside (another station, redis-cli, the manage CLI) or expired by TTL.
 * - Outage: a write that failed marks its session dirty. When the connection is back,
 *   dirty sessions are reconciled from the mirror: re-written if Redis still has them
 *   (or never had them), deleted if this station ended them meanwhile, and never
 *   re-created if Redis had them and someone removed them. If Redis lost everything
 *   (restart without persistence: the epoch key is gone), every live session is
 *   written back: no session is silently lost.
 */
export class RedisSessionCache implements SessionStore, RemoteGate {
  private readonly mirror = new MemorySessionStore();
  /** Sessions Redis has acknowledged holding. */
  private readonly confirmed = new Set<string>();
  /** hash -> write version not yet acknowledged. */
  private readonly dirty = new Map<string, number>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly token = randomBytes(16).toString('hex');
  private version = 0;
  private state: 'starting' | 'ready' | 'down' = 'starting';
  private reason = 'connecting to the session server';
  private recovering: Promise<void> | null = null;
  private lastError: string | null = null;
  private started = false;
  private readonly detach: () => void;

  constructor(private readonly o: RedisSessionCacheOptions) {
    const onReady = () => void this.recover();
    // Only a ready connection "was lost"; otherwise the last error says more (refused, TLS, ...).
    const onClose = () => {
      if (this.state === 'ready') this.markDown('the connection to the session server was lost');
    };
    const onError = (e: unknown) => {
      if (this.state !== 'down') o.log.error('session store error', errorFacts(e));
      this.lastError = describe(e);
      this.reason = this.lastError;
    };
    o.client.on('ready', onReady);
    o.client.on('close', onClose);
    o.client.on('error', onError);
    this.detach = () => {
      o.client.off('ready', onReady);
      o.client.off('close', onClose);
      o.client.off('error', onError);
    };
  }

  get remote(): RemoteGate {
    return this;
  }

  /** Connects and waits for the first recovery (ending leftovers) or the first failure. */
  async start(): Promise<void> {
    try {
      await this.o.client.connect();
      await this.recover();
    } catch (e) {
      // The connection's own error (refused, TLS...) says more than "Connection is closed".
      this.markDown(this.lastError ?? describe(e));
    }
  }

  async close(): Promise<void> {
    this.detach();
    await Promise.allSettled([...this.inflight]);
    this.o.client.disconnect(false);
  }

  status(): StoreStatus {
    return this.state === 'ready'
      ? { engine: 'redis', available: true }
      : { engine: 'redis', available: false, reason: this.reason };
  }

  // ---- RemoteGate ----

  async missing(hashes: readonly string[]): Promise<Set<string>> {
    if (this.state !== 'ready' || this.recovering) await this.ensureReady();
    if (hashes.length === 0) return new Set();
    let flags: unknown[];
    try {
      if (hashes.length === 1) {
        // The per-call check: one plain command (a pipeline object costs more than the round trip's CPU).
        flags = [await this.o.client.exists(this.o.remote.key(hashes[0] as string))];
      } else {
        const pipe = this.o.client.pipeline();
        for (const h of hashes) pipe.exists(this.o.remote.key(h));
        flags = await exec(pipe);
      }
    } catch (e) {
      this.markDown(describe(e));
      throw storeUnavailable();
    }
    // A session with a write still on its way is not "missing": its insert may follow.
    return new Set(hashes.filter((h, i) => flags[i] !== 1 && this.confirmed.has(h) && !this.dirty.has(h)));
  }

  mark(): number {
    return this.version;
  }

  async commit(since: number): Promise<void> {
    const pending = () => [...this.dirty.values()].some((v) => v > since);
    if (!pending()) return;
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    if (pending()) {
      await this.ensureReady();
      if (pending()) throw storeUnavailable();
    }
  }

  // ---- SessionStore (the mirror, with writes journalled to Redis) ----

  insert(session: StoredSession): void {
    this.mirror.insert(session);
    this.write([session.hash], () => this.o.remote.insert(session));
  }

  get(hash: string): StoredSession | null {
    return this.mirror.get(hash);
  }

  exists(hash: string): boolean {
    return this.mirror.exists(hash);
  }

  update(hash: string, patch: SessionPatch): boolean {
    if (!this.mirror.update(hash, patch)) return false;
    this.write([hash], () => this.o.remote.update(hash, patch));
    return true;
  }

  rotate(oldHash: string, next: StoredSession): boolean {
    if (!this.mirror.rotate(oldHash, next)) return false;
    this.write([oldHash, next.hash], () => this.o.remote.rotate(oldHash, next));
    return true;
  }

  delete(hash: string): boolean {
    const userId = this.mirror.get(hash)?.userId;
    if (!this.mirror.delete(hash)) return false;
    this.write([hash], () => this.o.remote.delete(hash, userId));
    return true;
  }

  deleteMany(hashes: readonly string[]): number {
    const owners = new Map(hashes.map((h) => [h, this.mirror.get(h)?.userId]));
    const gone = hashes.filter((h) => this.mirror.delete(h));
    if (gone.length > 0) this.write(gone, () => this.o.remote.deleteMany(gone, gone.map((h) => owners.get(h))));
    return gone.length;
  }

  deleteAll(): number {
    return this.deleteMany([...this.mirror.allHashes()]);
  }

  dueBefore(now: number): string[] {
    return this.mirror.dueBefore(now);
  }

  deleteExpired(now: number, idleBefore: number | null): number {
    const before = this.mirror.list({ offset: 0, limit: Number.MAX_SAFE_INTEGER }).items;
    const n = this.mirror.deleteExpired(now, idleBefore);
    const gone = before.filter((s) => !this.mirror.exists(s.hash));
    if (gone.length > 0) {
      const hashes = gone.map((s) => s.hash);
      this.write(hashes, () => this.o.remote.deleteMany(hashes, gone.map((s) => s.userId)));
    }
    return n;
  }

  list(query: { userId?: number; offset: number; limit: number }): SessionPage {
    return this.mirror.list(query);
  }

  allHashes(): Set<string> {
    return this.mirror.allHashes();
  }

  count(): number {
    return this.mirror.count();
  }

  // ---- journal ----

  private write(hashes: readonly string[], op: () => Promise<unknown>): void {
    const v = ++this.version;
    for (const h of hashes) this.dirty.set(h, v);
    if (this.state !== 'ready' || this.recovering) return; // reconciled from the mirror on recovery
    const p = op().then(
      () => {
        for (const h of hashes) {
          if (this.dirty.get(h) === v) this.dirty.delete(h);
          if (this.mirror.exists(h)) this.confirmed.add(h);
          else this.confirmed.delete(h);
        }
      },
      (e: unknown) => this.markDown(describe(e)),
    );
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private markDown(reason: string): void {
    if (this.state === 'down' && this.reason === reason) return;
    if (this.state === 'ready') this.o.log.error('session store unavailable', { reason });
    this.state = 'down';
    this.reason = reason;
  }

  /** While down but connected (a stall that passed): one reconciliation attempt, else STORE_UNAVAILABLE. */
  private async ensureReady(): Promise<void> {
    if (this.state === 'ready' && !this.recovering) return;
    if (this.o.client.status === 'ready') await this.recover();
    if (this.state !== 'ready') throw storeUnavailable();
  }

  /** Runs once at a time: the first time ends the leftovers, later times reconcile. */
  private recover(): Promise<void> {
    this.recovering ??= this.reconcile()
      .then(() => {
        if (this.state === 'down') this.o.log.warn('session store available again', {});
        this.state = 'ready';
      })
      .catch((e: unknown) => this.markDown(describe(e)))
      .finally(() => {
        this.recovering = null;
      });
    return this.recovering;
  }

  private async reconcile(): Promise<void> {
    const { client, remote } = this.o;
    await Promise.allSettled([...this.inflight]);
    if (!this.started) {
      // Sessions never outlive the run: what this installation left in Redis ends now.
      const n = await remote.deleteAll();
      await client.set(this.o.epochKey, this.token);
      this.started = true;
      this.o.onLeftovers(n);
      // Anything signed in before the first connection (never possible: logins wait) is written below.
    }
    const kept = (await client.get(this.o.epochKey)) === this.token;
    if (!kept) {
      // Redis lost its data (restarted without persistence, flushed): write every live session back.
      this.o.log.error('session store lost its data; writing the live sessions back', { count: this.mirror.count() });
      this.confirmed.clear();
      for (const h of this.mirror.allHashes()) this.dirty.set(h, ++this.version);
      await client.set(this.o.epochKey, this.token);
    }
    // Writes made while this runs are reconciled by the next pass.
    for (let pass = 0; pass < 3 && this.dirty.size > 0; pass++) {
      for (const [h, v] of [...this.dirty]) {
        const s = this.mirror.get(h);
        if (!s) await remote.delete(h);
        else if (!this.confirmed.has(h)) await insertOrKeep(remote, s);
        // A confirmed session that Redis no longer has was removed from outside: it stays
        // missing (never re-created), and the next call or sweep ends it.
        else await remote.update(h, patchOf(s));
        if (this.dirty.get(h) === v) this.dirty.delete(h);
        if (s) this.confirmed.add(h);
        else this.confirmed.delete(h);
      }
    }
  }
}

const patchOf = (s: StoredSession): SessionPatch => ({
  lastActivityAt: s.lastActivityAt, dueAt: s.dueAt, locked: s.locked, authAt: s.authAt, data: s.data,
});

async function insertOrKeep(remote: RedisSessionStore, s: StoredSession): Promise<void> {
  try {
    await remote.insert(s);
  } catch (e) {
    // Taken: our own earlier insert got through before its answer was lost.
    if (!(e instanceof Error && e.message === 'duplicate session hash')) throw e;
    await remote.update(s.hash, patchOf(s));
  }
}

/** A reason for a person; never the URL (it may hold a password). */
function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/timed out/i.test(msg)) return 'the session server is not answering';
  if (/certificate|self.signed|CERT_|altnames/i.test(msg)) return "the session server's TLS certificate is not trusted";
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|closed|writeable|Connection/i.test(msg)) return 'the session server cannot be reached';
  if (/NOAUTH|WRONGPASS|NOPERM/i.test(msg)) return 'the session server refused the credentials or permissions';
  return 'the session server reported an error';
}
