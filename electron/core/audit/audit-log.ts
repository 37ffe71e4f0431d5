import type Database from 'better-sqlite3';
import type { Clock } from '../clock';
import type { Sqlite } from '../db/database';

/**
 * Append-only log of authentication events (standards rows 63-64).
 *
 * Contracts:
 * - one row per event with a UTC epoch-ms timestamp from the injected Clock, the
 *   user ID and username when known, and a small JSON detail (the outcome);
 * - append-only: the audit_events table refuses UPDATE and DELETE by trigger, and
 *   this class has no method to change a row;
 * - no secrets: a detail key (at any depth) that looks like a password, secret,
 *   token or session ID is refused with a programming Error, so a password or a
 *   session ID cannot reach the log by mistake (row 64). Name such facts otherwise
 *   (e.g. `{ forced: true }` rather than `{ mustChangePassword: true }`);
 * - failed logins for identifiers that name no user are recorded WITHOUT the
 *   identifier: the caller passes no userId, no username and no identifier in
 *   detail, because people type their password into the username box. Use
 *   `unknownUserLoginFailure()` to build that event.
 */

export const AUDIT_EVENT_TYPES = [
  'login.success',
  'login.failure',
  'login.throttled',
  'logout',
  'session.ended',
  'session.locked',
  'session.unlocked',
  'password.changed',
  'user.created',
  'user.updated',
  'user.deleted',
  'group.created',
  'group.updated',
  'group.deleted',
  'setup',
  'remembered.created',
  'remembered.revoked',
  'sessions.revoked',
  'throttle.reset',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export interface AuditEventInput {
  type: AuditEventType;
  userId?: number | null;
  username?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface AuditEvent {
  id: number;
  /** UTC epoch ms. */
  at: number;
  type: AuditEventType;
  userId?: number;
  username?: string;
  detail?: Record<string, unknown>;
}

export interface AuditListQuery {
  offset?: number;
  /** Clamped to 1..500; default 50. */
  limit?: number;
  type?: AuditEventType;
  userId?: number;
  /** Inclusive lower bound on `at` (UTC epoch ms). */
  since?: number;
  /** Inclusive upper bound on `at` (UTC epoch ms). */
  until?: number;
}

export interface AuditPage {
  items: AuditEvent[];
  total: number;
}

/** Detail keys that could carry a credential. Deliberately broad: false positives are cheap. */
export const SECRET_KEY_PATTERN = /pass(word)?|secret|token|session_?id|sessionid/i;

export const AUDIT_LIST_MAX_LIMIT = 500;
const DEFAULT_LIMIT = 50;

/** The event for a failed login whose identifier names no user: no identifier, on purpose. */
export function unknownUserLoginFailure(detail: Record<string, unknown> = { reason: 'unknown-user' }): AuditEventInput {
  return { type: 'login.failure', userId: null, username: null, detail };
}

interface AuditRow {
  id: number;
  at: number;
  type: string;
  user_id: number | null;
  username: string | null;
  detail: string | null;
}

type Filter = 'none' | 'type' | 'user' | 'both';

export class AuditLog {
  private readonly clock: Clock;
  private readonly insert: Database.Statement<[number, string, number | null, string | null, string | null]>;
  private readonly pageBy: Record<Filter, Database.Statement<unknown[], AuditRow>>;
  private readonly countBy: Record<Filter, Database.Statement<unknown[], number>>;
  private readonly previousSignInStmt: Database.Statement<[number, number], { at: number | null; failed: number }>;

  constructor({ db, clock }: { db: Sqlite; clock: Clock }) {
    this.clock = clock;
    this.insert = db.prepare(
      'INSERT INTO audit_events (at, type, user_id, username, detail) VALUES (?, ?, ?, ?, ?)',
    );
    // One statement per filter combination, so each uses its index
    // (audit_events_type / audit_events_user) instead of an `? IS NULL OR` scan.
    // The time range is always bound (whole range when not asked), as a residual filter.
    const range = 'at >= ? AND at <= ?';
    const where: Record<Filter, string> = {
      none: `WHERE ${range}`,
      type: `WHERE type = +? AND ${range}`,
      user: `WHERE user_id = +? AND ${range}`,
      both: `WHERE type = +? AND user_id = +? AND ${range}`,
    };
    const cols = 'id, at, type, user_id, username, detail';
    const page = (f: Filter) =>
      db.prepare<unknown[], AuditRow>(`SELECT ${cols} FROM audit_events ${where[f]} ORDER BY id DESC LIMIT ? OFFSET ?`);
    const count = (f: Filter) =>
      db.prepare<unknown[], number>(`SELECT count(*) FROM audit_events ${where[f]}`).pluck();
    this.pageBy = { none: page('none'), type: page('type'), user: page('user'), both: page('both') };
    this.countBy = { none: count('none'), type: count('type'), user: count('user'), both: count('both') };
    // Both halves walk the audit_events_user (user_id, id) index. Ordering by id, not time,
    // so a failure in the same millisecond as the sign-in is still placed correctly.
    this.previousSignInStmt = db.prepare(
      `WITH last AS (
         SELECT id, at FROM audit_events WHERE user_id = ? AND type = 'login.success' ORDER BY id DESC LIMIT 1
       )
       SELECT (SELECT at FROM last) AS at,
              (SELECT count(*) FROM audit_events
                WHERE user_id = ? AND type = 'login.failure' AND id > coalesce((SELECT id FROM last), 0)) AS failed`,
    );
  }

  /**
   * What Unix login prints before a new sign-in is recorded: the user's last successful
   * sign-in and how many failed password attempts (sign-in, unlock, confirm) came after it.
   */
  previousSignIn(userId: number): { at: number | null; failedAttempts: number } {
    const row = this.previousSignInStmt.get(userId, userId);
    return { at: row?.at ?? null, failedAttempts: row?.failed ?? 0 };
  }

  /** Appends one event. Throws (a programming error) for an unknown type or a secret-looking detail key. */
  record(event: AuditEventInput): void {
    if (!(AUDIT_EVENT_TYPES as readonly string[]).includes(event.type)) {
      throw new Error(`AuditLog: unknown event type ${JSON.stringify(event.type)}`);
    }
    let detail: string | null = null;
    if (event.detail != null) {
      assertNoSecretKeys(event.detail, 'detail');
      detail = JSON.stringify(event.detail);
    }
    this.insert.run(this.clock.now(), event.type, event.userId ?? null, event.username ?? null, detail);
  }

  /** Newest first (id DESC). `total` counts every event matching the filters. */
  list(query: AuditListQuery = {}): AuditPage {
    const limit = clampInt(query.limit ?? DEFAULT_LIMIT, 1, AUDIT_LIST_MAX_LIMIT, DEFAULT_LIMIT);
    const offset = clampInt(query.offset ?? 0, 0, Number.MAX_SAFE_INTEGER, 0);
    const hasType = query.type !== undefined;
    const hasUser = query.userId !== undefined;
    const filter: Filter = hasType && hasUser ? 'both' : hasType ? 'type' : hasUser ? 'user' : 'none';
    const params: unknown[] = [];
    if (hasType) params.push(query.type);
    if (hasUser) params.push(query.userId);
    params.push(query.since ?? Number.MIN_SAFE_INTEGER, query.until ?? Number.MAX_SAFE_INTEGER);
    const total = this.countBy[filter].get(...params) ?? 0;
    const rows = this.pageBy[filter].all(...params, limit, offset);
    return { items: rows.map(toEvent), total };
  }
}

function toEvent(row: AuditRow): AuditEvent {
  const e: AuditEvent = { id: row.id, at: row.at, type: row.type as AuditEventType };
  if (row.user_id !== null) e.userId = row.user_id;
  if (row.username !== null) e.username = row.username;
  if (row.detail !== null) e.detail = JSON.parse(row.detail) as Record<string, unknown>;
  return e;
}

/** Walks objects and arrays; throws on the first key matching SECRET_KEY_PATTERN. */
function assertNoSecretKeys(value: unknown, path: string, depth = 0): void {
  if (depth > 32) throw new Error(`AuditLog: ${path} is nested too deeply`);
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoSecretKeys(v, `${path}[${i}]`, depth + 1));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY_PATTERN.test(k)) {
      throw new Error(`AuditLog: refusing detail key ${JSON.stringify(`${path}.${k}`)}: it may hold a secret`);
    }
    assertNoSecretKeys(v, `${path}.${k}`, depth + 1);
  }
}

function clampInt(n: number, min: number, max: number, fallback: number): number {
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}
