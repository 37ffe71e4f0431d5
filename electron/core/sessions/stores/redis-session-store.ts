import type { ChainableCommander, Redis } from 'ioredis';
import type { AsyncSessionStore, SessionPage, SessionPatch, StoredSession } from '../session-store';
import { DELETE_LUA, INSERT_LUA, ROTATE_LUA, UPDATE_LUA } from './redis-scripts';

type Reply = string | number;
interface Scripts {
  laInsert(...args: Reply[]): Promise<number>;
  laUpdate(...args: Reply[]): Promise<number>;
  laDelete(...args: Reply[]): Promise<number>;
  laRotate(...args: Reply[]): Promise<number>;
}
type ScriptPipeline = ChainableCommander & { laDelete(...args: Reply[]): ChainableCommander };

export interface RedisSessionStoreOptions {
  client: Redis;
  /** Ends with ':' and contains the installation id: stations sharing a Redis never collide. */
  prefix: string;
  /** The owner of deadlines: the core's clock (see redis-scripts.ts on TTL). */
  now: () => number;
  /**
   * How long after its persisted activity an unlocked session's key may live; -1 when
   * idle sessions are locked rather than ended (the key then lives to its absolute expiry).
   */
  idleTtlMs: number;
}

/** Field names in the session HASH (short: they are stored once per session). */
function fields(s: StoredSession): string[] {
  return [
    'u', String(s.userId), 'snd', String(s.senderId), 'b', s.backend, 'c', String(s.createdAt),
    'la', String(s.lastActivityAt), 'ae', String(s.absoluteExpiresAt), 'due', String(s.dueAt),
    'l', s.locked ? '1' : '0', 'a', s.authAt === null ? '' : String(s.authAt), 'd', s.data,
  ];
}

function parse(hash: string, h: Record<string, string>): StoredSession | null {
  if (h.u === undefined) return null;
  return {
    hash,
    userId: Number(h.u),
    senderId: Number(h.snd),
    backend: h.b ?? '',
    createdAt: Number(h.c),
    lastActivityAt: Number(h.la),
    absoluteExpiresAt: Number(h.ae),
    dueAt: Number(h.due),
    locked: h.l === '1',
    authAt: h.a === '' || h.a === undefined ? null : Number(h.a),
    data: h.d ?? '',
  };
}

const byAge = (a: StoredSession, b: StoredSession): number => a.createdAt - b.createdAt || (a.hash < b.hash ? -1 : 1);

/**
 * The `redis` engine's store: every session of this installation under one key prefix,
 * each key with a TTL (the earlier of its idle and absolute deadlines), a per-user SET
 * so ending or listing a user's sessions costs O(that user's sessions), and a due ZSET.
 * Every method is one round trip (reads of several keys are pipelined), except the
 * listings, which also remove index entries whose key has expired.
 */
export class RedisSessionStore implements AsyncSessionStore {
  private readonly r: Redis & Scripts;
  private readonly p: string;
  private readonly dueKey: string;

  constructor(private readonly o: RedisSessionStoreOptions) {
    const r = o.client as Redis & Scripts;
    if (typeof r.laInsert !== 'function') {
      r.defineCommand('laInsert', { numberOfKeys: 3, lua: INSERT_LUA });
      r.defineCommand('laUpdate', { numberOfKeys: 2, lua: UPDATE_LUA });
      r.defineCommand('laDelete', { numberOfKeys: 2, lua: DELETE_LUA });
      r.defineCommand('laRotate', { numberOfKeys: 4, lua: ROTATE_LUA });
    }
    this.r = r;
    this.p = o.prefix;
    this.dueKey = `${o.prefix}due`;
  }

  /** Connects a client made lazily (the CLI's); the app's connection is managed by RedisSessionCache. */
  async connect(): Promise<void> {
    if (this.o.client.status === 'wait') await this.o.client.connect();
  }

  get client(): Redis {
    return this.o.client;
  }

  get prefix(): string {
    return this.p;
  }

  key(hash: string): string {
    return `${this.p}s:${hash}`;
  }

  userKey(userId: number): string {
    return `${this.p}u:${userId}`;
  }

  async insert(s: StoredSession): Promise<void> {
    const done = await this.r.laInsert(
      this.key(s.hash), this.userKey(s.userId), this.dueKey, s.hash, this.o.now(), this.o.idleTtlMs, s.dueAt, ...fields(s),
    );
    if (done !== 1) throw new Error('duplicate session hash');
  }

  async get(hash: string): Promise<StoredSession | null> {
    if (hash === '') return null;
    return parse(hash, await this.r.hgetall(this.key(hash)));
  }

  async exists(hash: string): Promise<boolean> {
    return hash !== '' && (await this.r.exists(this.key(hash))) === 1;
  }

  async update(hash: string, patch: SessionPatch): Promise<boolean> {
    const f: string[] = [];
    if (patch.lastActivityAt !== undefined) f.push('la', String(patch.lastActivityAt));
    if (patch.dueAt !== undefined) f.push('due', String(patch.dueAt));
    if (patch.locked !== undefined) f.push('l', patch.locked ? '1' : '0');
    if (patch.authAt !== undefined) f.push('a', patch.authAt === null ? '' : String(patch.authAt));
    if (patch.data !== undefined) f.push('d', patch.data);
    const due = patch.dueAt === undefined ? '' : patch.dueAt;
    return (await this.r.laUpdate(this.key(hash), this.dueKey, hash, this.o.now(), this.o.idleTtlMs, due, ...f)) === 1;
  }

  async rotate(oldHash: string, next: StoredSession): Promise<boolean> {
    const done = await this.r.laRotate(
      this.key(oldHash), this.key(next.hash), this.userKey(next.userId), this.dueKey,
      oldHash, next.hash, this.p, this.o.now(), this.o.idleTtlMs, next.dueAt, ...fields(next),
    );
    if (done === -1) throw new Error('duplicate session hash');
    return done === 1;
  }

  /** `userId` (optional): whose index to clean if the key already expired. */
  async delete(hash: string, userId?: number): Promise<boolean> {
    return (await this.r.laDelete(this.key(hash), this.dueKey, hash, this.p, userId ?? '')) === 1;
  }

  /** `userIds[i]` (optional): the owner of `hashes[i]`, as for delete(). */
  async deleteMany(hashes: readonly string[], userIds: readonly (number | undefined)[] = []): Promise<number> {
    if (hashes.length === 0) return 0;
    // Pipelined in order: a hash given twice counts once (the second finds nothing).
    const pipe = this.r.pipeline() as ScriptPipeline;
    hashes.forEach((h, i) => pipe.laDelete(this.key(h), this.dueKey, h, this.p, userIds[i] ?? ''));
    return (await exec(pipe)).reduce<number>((n, x) => n + Number(x), 0);
  }

  /** Ends every session of THIS installation (its prefix); other stations' keys are never touched. */
  async deleteAll(): Promise<number> {
    const n = await this.deleteMany(await this.r.zrange(this.dueKey, '0', '-1'));
    // Index sets left by keys that expired: SCAN, only at start (never on a hot path).
    const stale: string[] = [];
    for await (const keys of this.r.scanStream({ match: `${this.p}u:*`, count: 500 })) stale.push(...(keys as string[]));
    if (stale.length > 0) await this.r.del(...stale);
    return n;
  }

  async dueBefore(now: number): Promise<string[]> {
    return this.existing(await this.r.zrangebyscore(this.dueKey, '-inf', String(now)));
  }

  async deleteExpired(now: number, idleBefore: number | null): Promise<number> {
    const due = (await this.load(await this.r.zrangebyscore(this.dueKey, '-inf', String(now)))).filter(
      (s) => s.absoluteExpiresAt <= now || (idleBefore !== null && !s.locked && s.lastActivityAt <= idleBefore),
    );
    return this.deleteMany(due.map((s) => s.hash));
  }

  async list({ userId, offset, limit }: { userId?: number; offset: number; limit: number }): Promise<SessionPage> {
    const hashes =
      userId === undefined ? await this.r.zrange(this.dueKey, '0', '-1') : await this.r.smembers(this.userKey(userId));
    const all = (await this.load(hashes, userId)).sort(byAge);
    return { items: all.slice(offset, offset + limit), total: all.length };
  }

  async allHashes(): Promise<Set<string>> {
    return new Set(await this.existing(await this.r.zrange(this.dueKey, '0', '-1')));
  }

  async count(): Promise<number> {
    return (await this.allHashes()).size;
  }

  /** The sessions among `hashes` that still exist; the index entries of the others are removed. */
  private async load(hashes: readonly string[], userId?: number): Promise<StoredSession[]> {
    if (hashes.length === 0) return [];
    const pipe = this.r.pipeline();
    for (const h of hashes) pipe.hgetall(this.key(h));
    const rows = (await exec(pipe)) as Record<string, string>[];
    const out: StoredSession[] = [];
    const gone: string[] = [];
    rows.forEach((row, i) => {
      const s = parse(hashes[i] as string, row);
      if (s) out.push(s);
      else gone.push(hashes[i] as string);
    });
    await this.cleanStale(gone, userId);
    return out;
  }

  private async existing(hashes: readonly string[]): Promise<string[]> {
    if (hashes.length === 0) return [];
    const pipe = this.r.pipeline();
    for (const h of hashes) pipe.exists(this.key(h));
    const flags = await exec(pipe);
    const gone = hashes.filter((_, i) => flags[i] !== 1);
    await this.cleanStale(gone);
    return hashes.filter((_, i) => flags[i] === 1);
  }

  /** Index entries of keys that expired by TTL (nobody was there to remove them). */
  private async cleanStale(gone: readonly string[], userId?: number): Promise<void> {
    if (gone.length === 0) return;
    const pipe = this.r.pipeline().zrem(this.dueKey, ...gone);
    if (userId !== undefined) pipe.srem(this.userKey(userId), ...gone);
    await exec(pipe);
  }
}

/** Runs a pipeline; the first failed command's error is thrown (never a partial answer). */
export async function exec(pipe: ChainableCommander): Promise<unknown[]> {
  const results = (await pipe.exec()) ?? [];
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
