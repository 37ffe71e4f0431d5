import type { SessionPage, SessionPatch, SessionStore, StoredSession } from '../session-store';

/**
 * A copy holding exactly the StoredSession fields: callers cannot reach the stored
 * record through a reference, and extra properties of a structurally typed argument
 * (a live session, say) are not kept, as the SQLite columns would not keep them.
 */
function copy(s: StoredSession): StoredSession {
  return {
    hash: s.hash,
    userId: s.userId,
    senderId: s.senderId,
    backend: s.backend,
    createdAt: s.createdAt,
    lastActivityAt: s.lastActivityAt,
    absoluteExpiresAt: s.absoluteExpiresAt,
    dueAt: s.dueAt,
    locked: s.locked,
    authAt: s.authAt,
    data: s.data,
  };
}

/**
 * The `memory` engine: nothing persists, nothing is shared with other processes.
 * Same contract as the SQLite store (one contract suite runs against both).
 */
export class MemorySessionStore implements SessionStore {
  private readonly rows = new Map<string, StoredSession>();

  insert(session: StoredSession): void {
    if (this.rows.has(session.hash)) throw new Error('duplicate session hash');
    this.rows.set(session.hash, copy(session));
  }

  get(hash: string): StoredSession | null {
    const s = this.rows.get(hash);
    return s ? copy(s) : null;
  }

  exists(hash: string): boolean {
    return this.rows.has(hash);
  }

  update(hash: string, patch: SessionPatch): boolean {
    const s = this.rows.get(hash);
    if (!s) return false;
    // Field by field, like the SQL UPDATE: undefined leaves a field alone (authAt: null
    // clears it), and no other key of the patch object can reach the record.
    if (patch.lastActivityAt !== undefined) s.lastActivityAt = patch.lastActivityAt;
    if (patch.dueAt !== undefined) s.dueAt = patch.dueAt;
    if (patch.locked !== undefined) s.locked = patch.locked;
    if (patch.authAt !== undefined) s.authAt = patch.authAt;
    if (patch.data !== undefined) s.data = patch.data;
    return true;
  }

  rotate(oldHash: string, next: StoredSession): boolean {
    if (!this.rows.has(oldHash)) return false;
    // Check before deleting: a failed rotation leaves the old session in place, as
    // the SQLite transaction rolls back.
    if (next.hash !== oldHash && this.rows.has(next.hash)) throw new Error('duplicate session hash');
    this.rows.delete(oldHash);
    this.rows.set(next.hash, copy(next));
    return true;
  }

  delete(hash: string): boolean {
    return this.rows.delete(hash);
  }

  deleteMany(hashes: readonly string[]): number {
    let n = 0;
    for (const h of hashes) if (this.rows.delete(h)) n++;
    return n;
  }

  deleteAll(): number {
    const n = this.rows.size;
    this.rows.clear();
    return n;
  }

  dueBefore(now: number): string[] {
    const out: string[] = [];
    for (const s of this.rows.values()) if (s.dueAt <= now) out.push(s.hash);
    return out;
  }

  deleteExpired(now: number, idleBefore: number | null): number {
    const gone = [...this.rows.values()].filter(
      (s) =>
        s.dueAt <= now &&
        (s.absoluteExpiresAt <= now || (idleBefore !== null && !s.locked && s.lastActivityAt <= idleBefore)),
    );
    return this.deleteMany(gone.map((s) => s.hash));
  }

  list({ userId, offset, limit }: { userId?: number; offset: number; limit: number }): SessionPage {
    const all = [...this.rows.values()]
      .filter((s) => userId === undefined || s.userId === userId)
      .sort((a, b) => a.createdAt - b.createdAt || (a.hash < b.hash ? -1 : 1));
    return { items: all.slice(offset, offset + limit).map(copy), total: all.length };
  }

  allHashes(): Set<string> {
    return new Set(this.rows.keys());
  }

  count(): number {
    return this.rows.size;
  }
}
