import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_EVENT_TYPES,
  AuditLog,
  unknownUserLoginFailure,
  type AuditEventType,
} from '../../../../electron/core/audit/audit-log';
import { openDatabase, type Sqlite } from '../../../../electron/core/db/database';
import { FakeTime } from '../../../support/fake-time';

describe('AuditLog', () => {
  let dir: string;
  let time: FakeTime;
  let db: Sqlite;
  let log: AuditLog;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-log-'));
    time = new FakeTime();
    db = openDatabase(dir, { clock: time });
    log = new AuditLog({ db, clock: time });
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records and lists an event with the fake clock time, newest first', () => {
    const t0 = time.now();
    log.record({ type: 'login.success', userId: 7, username: 'alice', detail: { backend: 'local-db' } });
    time.advance(5000);
    log.record({ type: 'logout', userId: 7, username: 'alice' });
    const page = log.list();
    expect(page.total).toBe(2);
    expect(page.items).toEqual([
      { id: 2, at: t0 + 5000, type: 'logout', userId: 7, username: 'alice' },
      { id: 1, at: t0, type: 'login.success', userId: 7, username: 'alice', detail: { backend: 'local-db' } },
    ]);
    const raw = db.prepare('SELECT at, detail FROM audit_events WHERE id = 1').get() as { at: number; detail: string };
    expect(raw).toEqual({ at: t0, detail: '{"backend":"local-db"}' });
  });

  it('records every event type', () => {
    for (const type of AUDIT_EVENT_TYPES) log.record({ type, userId: 1 });
    const page = log.list({ limit: 500 });
    expect(page.total).toBe(AUDIT_EVENT_TYPES.length);
    expect(page.items.map((e) => e.type).reverse()).toEqual([...AUDIT_EVENT_TYPES]);
  });

  it('refuses an unknown event type', () => {
    expect(() => log.record({ type: 'login.maybe' as AuditEventType })).toThrow(/unknown event type/);
    expect(log.list().total).toBe(0);
  });

  it('records a failed login for an unknown identifier without the identifier', () => {
    log.record(unknownUserLoginFailure());
    const [e] = log.list().items;
    expect(e).toEqual({ id: 1, at: time.now(), type: 'login.failure', detail: { reason: 'unknown-user' } });
    const raw = db.prepare('SELECT user_id, username FROM audit_events').get();
    expect(raw).toEqual({ user_id: null, username: null });
  });

  it('filters by type, by user and by both', () => {
    log.record({ type: 'login.failure', userId: 1, username: 'a' });
    log.record({ type: 'login.success', userId: 1, username: 'a' });
    log.record({ type: 'login.failure', userId: 2, username: 'b' });
    log.record({ type: 'login.failure' });
    log.record({ type: 'logout', userId: 2, username: 'b' });

    const byType = log.list({ type: 'login.failure' });
    expect(byType.total).toBe(3);
    expect(byType.items.map((e) => e.id)).toEqual([4, 3, 1]);

    const byUser = log.list({ userId: 2 });
    expect(byUser.total).toBe(2);
    expect(byUser.items.map((e) => e.id)).toEqual([5, 3]);

    const both = log.list({ type: 'login.failure', userId: 1 });
    expect(both.total).toBe(1);
    expect(both.items.map((e) => e.id)).toEqual([1]);

    expect(log.list({ type: 'setup' })).toEqual({ items: [], total: 0 });
  });

  it('pages without duplicates or gaps, with a stable total', () => {
    for (let i = 0; i < 237; i++) {
      log.record({ type: i % 3 === 0 ? 'login.failure' : 'login.success', userId: i % 5 });
      if (i % 10 === 0) time.advance(1); // several events share a timestamp: order is by id
    }
    for (const filter of [{}, { type: 'login.failure' as const }, { userId: 3 }]) {
      const ids: number[] = [];
      const totals = new Set<number>();
      for (let offset = 0; ; offset += 20) {
        const page = log.list({ ...filter, offset, limit: 20 });
        totals.add(page.total);
        if (page.items.length === 0) break;
        expect(page.items.length).toBeLessThanOrEqual(20);
        ids.push(...page.items.map((e) => e.id));
      }
      expect(totals.size).toBe(1);
      const [total] = [...totals];
      expect(ids).toHaveLength(total!);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    }
    expect(log.list().total).toBe(237);
  });

  it('clamps limit to 1..500 and offset to >= 0', () => {
    for (let i = 0; i < 520; i++) log.record({ type: 'logout' });
    expect(log.list().items).toHaveLength(50);
    expect(log.list({ limit: 10_000 }).items).toHaveLength(500);
    expect(log.list({ limit: 0 }).items).toHaveLength(1);
    expect(log.list({ limit: -5 }).items).toHaveLength(1);
    expect(log.list({ limit: Number.NaN }).items).toHaveLength(50);
    expect(log.list({ offset: -10, limit: 1 }).items[0]!.id).toBe(520);
    expect(log.list({ offset: 519, limit: 5 }).items.map((e) => e.id)).toEqual([1]);
  });

  it('is append-only: UPDATE and DELETE through SQL fail', () => {
    log.record({ type: 'login.success', userId: 1, username: 'alice' });
    expect(() => db.prepare("UPDATE audit_events SET username = 'mallory'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    expect(log.list().items[0]).toMatchObject({ username: 'alice' });
    expect(log.list().total).toBe(1);
  });

  it('refuses detail keys that could hold a secret, at any depth', () => {
    const refused = [
      { password: 'hunter2' },
      { Password: 'x' },
      { newPass: 'x' },
      { passwd: 'x' },
      { secret: 'x' },
      { clientSecret: 'x' },
      { token: 'x' },
      { rememberToken: 'x' },
      { sessionId: 'x' },
      { session_id: 'x' },
      { SESSIONID: 'x' },
      { nested: { deeper: { password: 'x' } } },
      { list: [{ ok: 1 }, { token: 'x' }] },
    ];
    for (const detail of refused) {
      expect(() => log.record({ type: 'login.failure', userId: 1, detail })).toThrow(/may hold a secret/);
    }
    expect(log.list().total).toBe(0);
    // Unrelated keys pass; values are not inspected (the caller chooses what to log).
    log.record({ type: 'session.ended', userId: 1, detail: { reason: 'idle', count: 2, session: 'hash-prefix' } });
    expect(log.list().total).toBe(1);
  });

  it('a canary password never reaches the database through a refused detail', () => {
    const canary = 'canary-Pw-5f1c2e';
    expect(() => log.record({ type: 'password.changed', userId: 1, detail: { oldPassword: canary } })).toThrow();
    const dump = JSON.stringify(db.prepare('SELECT * FROM audit_events').all());
    expect(dump).not.toContain(canary);
  });
});
