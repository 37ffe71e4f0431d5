/**
 * What crash-safety.test.ts knows about the database it keeps killing writers of:
 * the writes the worker reported committed (must all be there), the one operation that
 * may have been in flight at the kill (either fully there or not at all), and the
 * invariants a half-made write would break. Read straight from accounts.db, BEFORE any
 * core opens it again (a core start ends every leftover session, which would hide a
 * session that outlived its user's password change).
 */
import type { Sqlite } from '../../electron/core/db/database';
import type { PasswordHasher } from '../../electron/core/auth/password-hasher';
import { mulberry32 } from '../support/seeded-random';

export const ADMIN_PASSWORD = 'correct horse battery staple 42';
export const GROUPS = ['editors', 'viewers', 'auditors'] as const;

/** One worker operation (the worker's intent and done lines carry it). */
export type CrashOp =
  | { kind: 'create'; username: string; groups: string[]; password: string }
  | { kind: 'login'; username: string; sender: number; remember: boolean; handle?: string }
  | { kind: 'logout'; username: string; handle: string }
  | { kind: 'set-password'; username: string; password: string }
  | { kind: 'change-password'; username: string; password: string; handle: string; newHandle?: string }
  | { kind: 'deactivate'; username: string };

export type CrashLine = { phase: 'ready' } | ({ phase: 'intent' | 'done' } & CrashOp);

export { mulberry32 };

/** Complete JSON lines only: the one a kill cut short (if any) is dropped. */
export function parseLines(stdout: string): CrashLine[] {
  const lines: CrashLine[] = [];
  for (const text of stdout.split('\n')) {
    if (text.trim() === '') continue;
    try {
      lines.push(JSON.parse(text) as CrashLine);
    } catch {
      // a torn last line: it was never "reported"
    }
  }
  return lines;
}

interface KnownUser {
  groups: string[];
  password: string;
  active: boolean;
  mustChange: boolean;
  /** The hash last proven to verify `password` (unchanged hash: no bcrypt needed again). */
  verifiedHash: string | null;
}

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  is_active: number;
  must_change_password: number;
  password_changed_at: number;
}

export interface RoundOutcome {
  done: number;
  /** The operation in flight at the kill, if the worker was inside one. */
  inFlight: CrashOp | null;
  violations: string[];
}

/** The parent's ledger across rounds. */
export class CrashModel {
  readonly users = new Map<string, KnownUser>();

  constructor(private readonly hasher: PasswordHasher) {}

  /** Applies one round's report, then checks the database against it. */
  async check(db: Sqlite, lines: readonly CrashLine[]): Promise<RoundOutcome> {
    const violations: string[] = [];
    const gone = new Set<string>(); // handles that must have no row: logged out, or rotated away
    const live = new Map<string, string>(); // handle -> username: reported signed in, not ended since
    const touched = new Set<string>();
    let inFlight: CrashOp | null = null;
    let done = 0;
    for (const line of lines) {
      if (line.phase === 'ready') continue;
      const { phase: _phase, ...op } = line;
      if (line.phase === 'intent') {
        inFlight = op as CrashOp;
        continue;
      }
      inFlight = null;
      done++;
      touched.add(op.username);
      this.applyDone(op as CrashOp, gone, live);
    }
    if (inFlight) touched.add(inFlight.username);

    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') violations.push(`integrity_check: ${String(integrity)}`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) violations.push(`foreign_key_check: ${JSON.stringify(fk)}`);

    const rows = db.prepare('SELECT id, username, password_hash, is_active, must_change_password, password_changed_at FROM users').all() as UserRow[];
    const byName = new Map(rows.map((r) => [r.username, r]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const groupsOf = db.prepare<[number], string>(
      'SELECT g.name FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = ? ORDER BY g.name',
    ).pluck();

    // No user nobody announced; an in-flight create is all there (with its groups) or absent.
    for (const r of rows) {
      if (r.username === 'admin' || this.users.has(r.username)) continue;
      if (inFlight?.kind === 'create' && inFlight.username === r.username) {
        this.users.set(r.username, { groups: [...inFlight.groups], password: inFlight.password, active: true, mustChange: false, verifiedHash: null });
      } else violations.push(`user ${r.username} exists but was never created by the worker`);
    }

    for (const [name, known] of this.users) {
      const row = byName.get(name);
      if (!row) {
        violations.push(`user ${name} was reported committed but is missing`);
        continue;
      }
      const groups = groupsOf.all(row.id);
      if (groups.join(',') !== [...known.groups].sort().join(',')) {
        violations.push(`user ${name} has groups [${groups.join(',')}], created with [${known.groups.join(',')}]`);
      }
      await this.checkPassword(name, known, row, inFlight, touched.has(name), violations);
      const deactivating = inFlight?.kind === 'deactivate' && inFlight.username === name;
      if (deactivating && row.is_active === 0) known.active = false;
      if ((row.is_active === 1) !== known.active) violations.push(`user ${name} is_active=${row.is_active}, expected ${known.active}`);
      if ((row.must_change_password === 1) !== known.mustChange) {
        violations.push(`user ${name} must_change_password=${row.must_change_password}, expected ${known.mustChange}`);
      }
    }

    this.checkSessions(db, byId, gone, inFlight, violations);
    // Every reported sign-in not ended since is there, except the in-flight op's user's
    // (that op may have ended them); the in-flight login itself may or may not be there.
    const exists = db.prepare<[string], number>('SELECT 1 FROM sessions WHERE substr(lower(hex(hash)), 1, 16) = ?').pluck();
    for (const [handle, username] of live) {
      const unsettled = inFlight !== null && inFlight.kind !== 'login' && inFlight.username === username;
      if (!unsettled && exists.get(handle) === undefined) violations.push(`session ${handle} of ${username} was reported but is missing`);
    }
    this.checkRemembered(db, byId, violations);
    return { done, inFlight, violations };
  }

  private applyDone(op: CrashOp, gone: Set<string>, live: Map<string, string>): void {
    const user = this.users.get(op.username);
    const endAllOf = (username: string) => {
      for (const [handle, owner] of live) if (owner === username) live.delete(handle);
    };
    switch (op.kind) {
      case 'create':
        this.users.set(op.username, { groups: [...op.groups], password: op.password, active: true, mustChange: false, verifiedHash: null });
        return;
      case 'set-password':
      case 'change-password':
        endAllOf(op.username);
        if (op.kind === 'change-password') {
          gone.add(op.handle);
          if (op.newHandle) live.set(op.newHandle, op.username);
        }
        if (!user) return;
        user.password = op.password;
        user.mustChange = op.kind === 'set-password';
        return;
      case 'deactivate':
        endAllOf(op.username);
        if (user) user.active = false;
        return;
      case 'logout':
        live.delete(op.handle);
        gone.add(op.handle);
        return;
      case 'login':
        if (op.handle) live.set(op.handle, op.username);
        return;
    }
  }

  /** The reported password, or the in-flight one for this user: never anything else. */
  private async checkPassword(
    name: string,
    known: KnownUser,
    row: UserRow,
    inFlight: CrashOp | null,
    touched: boolean,
    violations: string[],
  ): Promise<void> {
    if (!touched && row.password_hash === known.verifiedHash) return;
    if (await this.hasher.verify(known.password, row.password_hash)) {
      known.verifiedHash = row.password_hash;
      return;
    }
    const changing = (inFlight?.kind === 'set-password' || inFlight?.kind === 'change-password') && inFlight.username === name;
    if (changing && (await this.hasher.verify(inFlight.password, row.password_hash))) {
      known.password = inFlight.password;
      known.mustChange = inFlight.kind === 'set-password';
      known.verifiedHash = row.password_hash;
      return;
    }
    violations.push(`user ${name}: the stored hash matches neither the reported nor the in-flight password`);
  }

  /**
   * A session row must not predate its user's last password change, unless it is the
   * session that made the change (rotated then, so its auth_at is the change's time),
   * or the in-flight change's own session (the kill came before its rotation; the
   * restart ends it, and no process holds its ID any more). No session for an inactive user.
   */
  private checkSessions(
    db: Sqlite,
    users: Map<number, UserRow>,
    gone: Set<string>,
    inFlight: CrashOp | null,
    violations: string[],
  ): void {
    const rows = db.prepare('SELECT lower(hex(hash)) AS hash, user_id, created_at, auth_at FROM sessions').all() as {
      hash: string;
      user_id: number;
      created_at: number;
      auth_at: number | null;
    }[];
    for (const s of rows) {
      const user = users.get(s.user_id);
      const handle = s.hash.slice(0, 16);
      if (!user) continue; // foreign_key_check reports it
      if (gone.has(handle)) violations.push(`session ${handle} of ${user.username} was ended (logout or rotation) but its row is there`);
      if (user.is_active === 0) violations.push(`session ${handle} of inactive user ${user.username}`);
      const changedAt = user.password_changed_at;
      if (s.created_at >= changedAt || (s.auth_at !== null && s.auth_at >= changedAt)) continue;
      if (inFlight?.kind === 'change-password' && inFlight.username === user.username && inFlight.handle === handle) continue;
      violations.push(`session ${handle} of ${user.username} predates its password change (${s.created_at} < ${changedAt})`);
    }
  }

  /** A "stay signed in" token made before a password change, or for an inactive user, must be revoked. */
  private checkRemembered(db: Sqlite, users: Map<number, UserRow>, violations: string[]): void {
    const rows = db.prepare('SELECT user_id, created_at FROM remembered_devices').all() as { user_id: number; created_at: number }[];
    for (const d of rows) {
      const user = users.get(d.user_id);
      if (!user) continue;
      if (user.is_active === 0) violations.push(`remembered device of inactive user ${user.username}`);
      if (d.created_at < user.password_changed_at) violations.push(`remembered device of ${user.username} predates its password change`);
    }
  }
}
