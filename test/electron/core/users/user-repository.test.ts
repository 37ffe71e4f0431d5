import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeTracker, openDatabase, type Sqlite } from '../../../../electron/core/db/database';
import { AppError } from '../../../../electron/core/errors';
import { avatarColorFor } from '../../../../electron/core/users/avatar-color';
import { UserRepository, type NewUser } from '../../../../electron/core/users/user-repository';
import { FakeTime } from '../../../support/fake-time';

const HASH = '$2b$04$abcdefghijklmnopqrstuuJ7Wz0b1mXg3mK2r0yJqYh7l4fQ1u7yS';

let dir: string;
let time: FakeTime;
let db: Sqlite;
let changes: ChangeTracker;
let users: UserRepository;
/** Every AppError a test provoked: none may carry SQLite's words. */
const errors: AppError[] = [];

const newUser = (username: string, extra: Partial<NewUser> = {}): NewUser => ({ username, passwordHash: HASH, ...extra });

/** Runs `fn`, expects an AppError with `code`, and returns it. */
function expectAppError(fn: () => unknown, code: AppError['code']): AppError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AppError);
  const error = caught as AppError;
  expect(error.code).toBe(code);
  errors.push(error);
  return error;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'user-repository-'));
  time = new FakeTime();
  db = openDatabase(dir, { clock: time });
  changes = new ChangeTracker(db);
  users = new UserRepository(db, time, changes);
});

afterEach(() => {
  for (const e of errors.splice(0)) {
    expect(e.message).not.toMatch(/sqlite|constraint|users\.|syntax|SQL/i);
    for (const m of Object.values(e.fields ?? {})) expect(m).not.toMatch(/sqlite|constraint|SQL/i);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('create and find', () => {
  it('stores the username as typed and finds it case-insensitively', () => {
    const alice = users.create(newUser('Alice', { displayName: ' Alice Liddell ' }));
    expect(alice).toMatchObject({
      username: 'Alice', email: null, phone: null, displayName: 'Alice Liddell', passwordHash: HASH,
      isActive: true, isStaff: false, isSuperuser: false, mustChangePassword: false,
      createdAt: time.now(), passwordChangedAt: time.now(), lastLoginAt: null,
    });
    expect(users.findByIdentifier('alice')?.id).toBe(alice.id);
    expect(users.findByIdentifier('ALICE')?.username).toBe('Alice');
    expect(users.findById(alice.id)).toEqual(alice);
    expect(users.findByIdentifier('bob')).toBeNull();
    expect(users.findById(alice.id + 1)).toBeNull();
  });

  it('stores flags as given', () => {
    const u = users.create(newUser('root', { isStaff: true, isSuperuser: true, isActive: false, mustChangePassword: true }));
    expect(u).toMatchObject({ isStaff: true, isSuperuser: true, isActive: false, mustChangePassword: true });
  });

  it('finds by email (an identifier with "@"), case-insensitively; the domain is lowercased on store', () => {
    const u = users.create(newUser('alice', { email: 'Alice.Smith@Example.COM' }));
    expect(u.email).toBe('Alice.Smith@example.com');
    expect(users.findByIdentifier('alice.smith@example.com')?.id).toBe(u.id);
    expect(users.findByIdentifier('ALICE.SMITH@EXAMPLE.COM')?.id).toBe(u.id);
    // No "@": a username lookup, even though the text matches the email's local part.
    expect(users.findByIdentifier('Alice.Smith')).toBeNull();
  });

  it('treats the Ohm sign and Omega as the same username (NFKC)', () => {
    // Greek only: Latin and Greek in one name are refused as look-alike material.
    const omega = users.create(newUser('\u03A9\u03bc\u03b5\u03b3\u03b1'));
    expect(users.findByIdentifier('\u2126\u039c\u0395\u0393\u0391')?.id).toBe(omega.id);
    const error = expectAppError(() => users.create(newUser('\u2126\u03bc\u03b5\u03b3\u03b1')), 'CONFLICT');
    expect(Object.keys(error.fields ?? {})).toEqual(['username']);
    // Stored NFKC: the Ohm sign never reaches the table.
    expect(users.create(newUser('\u2126\u03b7\u03bc')).username).toBe('\u03A9\u03b7\u03bc');
  });

  it("folds 'ß' and 'SS' together", () => {
    users.create(newUser('straße'));
    expect(users.findByIdentifier('STRASSE')?.username).toBe('straße');
    expect(expectAppError(() => users.create(newUser('Strasse')), 'CONFLICT').fields).toHaveProperty('username');
  });

  it('refuses bad usernames with VALIDATION_ERROR on fields.username and a readable message', () => {
    for (const bad of ['', 'a b', 'alice@home', 'x'.repeat(151), 'tab\t']) {
      const error = expectAppError(() => users.create(newUser(bad)), 'VALIDATION_ERROR');
      expect(error.fields?.username, JSON.stringify(bad)).toMatch(/^[A-Z].*\.$/);
    }
    expect(users.create(newUser('x'.repeat(150))).username).toHaveLength(150);
    expect(users.count()).toBe(1);
  });

  it('keeps emails unique case-insensitively', () => {
    users.create(newUser('alice', { email: 'alice@example.com' }));
    const error = expectAppError(() => users.create(newUser('bob', { email: 'ALICE@example.COM' })), 'CONFLICT');
    expect(Object.keys(error.fields ?? {})).toEqual(['email']);
    expect(users.create(newUser('carol', { email: '' })).email).toBeNull();
    expect(users.create(newUser('dave')).email).toBeNull(); // many users without an email
  });

  it('normalizes and keeps phones unique; refuses 4 and 21 digits', () => {
    const u = users.create(newUser('alice', { phone: '+1 (555) 010-2030' }));
    expect(u.phone).toBe('+15550102030');
    expect(expectAppError(() => users.create(newUser('bob', { phone: '+15550102030' })), 'CONFLICT').fields).toHaveProperty('phone');
    expect(expectAppError(() => users.create(newUser('bob', { phone: '1234' })), 'VALIDATION_ERROR').fields).toHaveProperty('phone');
    expect(expectAppError(() => users.create(newUser('bob', { phone: '1'.repeat(21) })), 'VALIDATION_ERROR').fields).toHaveProperty('phone');
    expect(users.create(newUser('bob', { phone: '1'.repeat(20) })).phone).toBe('1'.repeat(20));
  });

  it('reports several invalid fields in one error', () => {
    const error = expectAppError(() => users.create(newUser('a b', { email: 'no', phone: '12' })), 'VALIDATION_ERROR');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['email', 'phone', 'username']);
  });

  it('lists every taken field in one CONFLICT', () => {
    users.create(newUser('alice', { email: 'alice@example.com', phone: '5550100' }));
    const error = expectAppError(
      () => users.create(newUser('ALICE', { email: 'Alice@Example.com', phone: '555-0100' })),
      'CONFLICT',
    );
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['email', 'phone', 'username']);
    expect(users.count()).toBe(1);
  });

  it('runs inside a caller transaction and rolls back with it', () => {
    expect(() =>
      db.transaction(() => {
        users.create(newUser('alice'));
        throw new Error('caller changed its mind');
      })(),
    ).toThrow('caller changed its mind');
    expect(users.findByIdentifier('alice')).toBeNull();
    db.transaction(() => users.create(newUser('alice')))();
    expect(users.findByIdentifier('alice')).not.toBeNull();
  });
});

describe('update', () => {
  it('changes only the given fields', () => {
    const u = users.create(newUser('alice', { email: 'a@example.com', phone: '5550100', displayName: 'Alice' }));
    const renamed = users.update(u.id, { username: 'Alicia' });
    expect(renamed).toEqual({ ...u, username: 'Alicia' });
    const flagged = users.update(u.id, { isStaff: true, mustChangePassword: true });
    expect(flagged).toEqual({ ...renamed, isStaff: true, mustChangePassword: true });
    expect(users.update(u.id, {})).toEqual(flagged);
    expect(users.findByIdentifier('alicia')?.id).toBe(u.id);
    expect(users.findByIdentifier('alice')).toBeNull();
  });

  it('clears email and phone with null, and frees them for others', () => {
    const u = users.create(newUser('alice', { email: 'a@example.com', phone: '5550100' }));
    const cleared = users.update(u.id, { email: null, phone: null });
    expect(cleared).toMatchObject({ email: null, phone: null, username: 'alice' });
    expect(users.findByIdentifier('a@example.com')).toBeNull();
    expect(users.create(newUser('bob', { email: 'A@example.com', phone: '5550100' })).email).toBe('A@example.com');
  });

  it('lets a user change the case of their own name and email', () => {
    const u = users.create(newUser('alice', { email: 'alice@example.com' }));
    expect(users.update(u.id, { username: 'ALICE', email: 'Alice@Example.com' })).toMatchObject({
      username: 'ALICE',
      email: 'Alice@example.com',
    });
  });

  it("refuses another user's name, email or phone, listing each", () => {
    users.create(newUser('alice', { email: 'alice@example.com', phone: '5550100' }));
    const bob = users.create(newUser('bob'));
    const error = expectAppError(
      () => users.update(bob.id, { username: 'Alice', email: 'ALICE@example.com', phone: '5550100' }),
      'CONFLICT',
    );
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['email', 'phone', 'username']);
    expect(users.findById(bob.id)).toEqual(bob);
  });

  it('validates like create, and answers NOT_FOUND for an unknown id', () => {
    const u = users.create(newUser('alice'));
    expect(expectAppError(() => users.update(u.id, { username: 'a@b' }), 'VALIDATION_ERROR').fields).toHaveProperty('username');
    expect(expectAppError(() => users.update(u.id + 100, { displayName: 'x' }), 'NOT_FOUND').message).toMatch(/not exist/);
  });
});

describe('passwords, logins, deletion', () => {
  it('setPassword stamps passwordChangedAt and sets or clears mustChangePassword', () => {
    const u = users.create(newUser('alice'));
    time.advance(60_000);
    users.setPassword(u.id, 'hash-2', true);
    expect(users.findById(u.id)).toMatchObject({ passwordHash: 'hash-2', passwordChangedAt: time.now(), mustChangePassword: true });
    time.advance(1000);
    users.setPassword(u.id, 'hash-3', false);
    expect(users.findById(u.id)).toMatchObject({ passwordHash: 'hash-3', passwordChangedAt: time.now(), mustChangePassword: false });
  });

  it('rehash replaces the hash but is not a password change', () => {
    const u = users.create(newUser('alice', { mustChangePassword: true }));
    time.advance(60_000);
    expect(users.rehash(u.id, 'stronger', u.passwordHash)).toBe(true);
    expect(users.findById(u.id)).toMatchObject({ passwordHash: 'stronger', passwordChangedAt: u.passwordChangedAt, mustChangePassword: true });
  });

  it('rehash never overwrites a password changed meanwhile', () => {
    const u = users.create(newUser('alice'));
    users.setPassword(u.id, 'new-password-hash', false);
    expect(users.rehash(u.id, 'upgraded-old-hash', u.passwordHash)).toBe(false);
    expect(users.findById(u.id)?.passwordHash).toBe('new-password-hash');
  });

  it('recordLogin stamps lastLoginAt', () => {
    const u = users.create(newUser('alice'));
    time.advance(5000);
    users.recordLogin(u.id);
    expect(users.findById(u.id)?.lastLoginAt).toBe(time.now());
  });

  it('delete removes the user once', () => {
    const u = users.create(newUser('alice', { email: 'a@example.com' }));
    expect(users.delete(u.id)).toBe(true);
    expect(users.findById(u.id)).toBeNull();
    expect(users.delete(u.id)).toBe(false);
    expect(users.create(newUser('Alice', { email: 'a@example.com' })).username).toBe('Alice');
  });

  it('counts active superusers only', () => {
    users.create(newUser('root', { isSuperuser: true }));
    const second = users.create(newUser('admin', { isSuperuser: true }));
    users.create(newUser('off', { isSuperuser: true, isActive: false }));
    users.create(newUser('staff', { isStaff: true }));
    expect(users.countActiveSuperusers()).toBe(2);
    users.update(second.id, { isActive: false });
    expect(users.countActiveSuperusers()).toBe(1);
  });
});

describe('every write bumps the ChangeTracker', () => {
  it('create, update, setPassword, rehash, recordLogin, delete', () => {
    const steps: [string, () => unknown][] = [];
    let id = 0;
    steps.push(['create', () => (id = users.create(newUser('alice')).id)]);
    steps.push(['update', () => users.update(id, { displayName: 'A' })]);
    steps.push(['setPassword', () => users.setPassword(id, 'h2', false)]);
    steps.push(['rehash', () => users.rehash(id, 'h3', 'h2')]);
    steps.push(['recordLogin', () => users.recordLogin(id)]);
    steps.push(['delete', () => users.delete(id)]);
    for (const [name, step] of steps) {
      const before = changes.current();
      step();
      expect(changes.current(), name).toBeGreaterThan(before);
    }
  });
});

describe('avatar colour', () => {
  it('is a #rrggbb value that depends only on the id', () => {
    const u = users.create(newUser('alice'));
    expect(u.avatarColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(users.update(u.id, { username: 'renamed' }).avatarColor).toBe(u.avatarColor);
    expect(avatarColorFor(u.id)).toBe(u.avatarColor);
    const colours = new Set(Array.from({ length: 50 }, (_, i) => avatarColorFor(i + 1)));
    expect(colours.size).toBeGreaterThan(4);
  });
});

describe('list and search', () => {
  /** Reads every page of `query` and returns the ids in order. */
  function allPages(query: string | undefined, limit: number): { ids: number[]; totals: Set<number> } {
    const ids: number[] = [];
    const totals = new Set<number>();
    for (let offset = 0; ; offset += limit) {
      const page = users.list({ query, offset, limit });
      totals.add(page.total);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((u) => u.id));
      if (page.items.length < limit) return { ids, totals };
    }
  }

  beforeEach(() => {
    db.transaction(() => {
      for (let i = 1; i <= 120; i++) {
        const team = i % 3 === 0 ? 'Blue' : 'Red';
        users.create(newUser(`user${String(i).padStart(3, '0')}`, { email: `u${i}@${team}.example`, displayName: `Member ${i} of ${team}` }));
      }
    })();
  });

  it('pages through everyone by id with no duplicates or gaps', () => {
    const everyone = users.list({ limit: 500 });
    expect(everyone.total).toBe(120);
    expect(users.list().items).toHaveLength(50);
    const { ids, totals } = allPages(undefined, 50);
    expect(totals).toEqual(new Set([120]));
    expect(ids).toEqual(everyone.items.map((u) => u.id));
    expect(new Set(ids).size).toBe(120);
    expect(users.list({ offset: 100, limit: 50 }).items).toHaveLength(20);
    expect(users.list({ offset: 200 }).items).toEqual([]);
  });

  it('searches username, email and display name case-insensitively, paging without duplicates or gaps', () => {
    expect(users.list({ query: 'USER00' }).total).toBe(9);
    expect(users.list({ query: '@blue.EXAMPLE' }).total).toBe(40);
    expect(users.list({ query: 'of red' }).total).toBe(80);
    const { ids, totals } = allPages('blue', 7);
    expect(totals).toEqual(new Set([40]));
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const id of ids) expect(users.findById(id)?.displayName).toMatch(/Blue/);
  });

  it('treats % and _ in the query literally', () => {
    const pct = users.create(newUser('p100', { displayName: '100% sure' }));
    const und = users.create(newUser('snake_case'));
    const bs = users.create(newUser('slash', { displayName: 'back\\slash' }));
    expect(users.list({ query: '%' }).items.map((u) => u.id)).toEqual([pct.id]);
    expect(users.list({ query: '_' }).items.map((u) => u.id)).toEqual([und.id]);
    expect(users.list({ query: 'e_c' }).items.map((u) => u.id)).toEqual([und.id]);
    expect(users.list({ query: '\\' }).items.map((u) => u.id)).toEqual([bs.id]);
    expect(users.list({ query: '0%' }).items.map((u) => u.id)).toEqual([pct.id]);
  });

  it('folds non-ASCII display names like usernames (SQLite lower() is ASCII-only)', () => {
    const emile = users.create(newUser('emile', { displayName: 'Émile Zola' }));
    const strasse = users.create(newUser('hans', { displayName: 'Hans Straße' }));
    const omega = users.create(newUser('ohm', { displayName: 'ΩMEGA' }));
    expect(users.list({ query: 'émile' }).items.map((u) => u.id)).toEqual([emile.id]);
    expect(users.list({ query: 'STRASSE' }).items.map((u) => u.id)).toEqual([strasse.id]);
    expect(users.list({ query: '\u2126mega' }).items.map((u) => u.id)).toEqual([omega.id]);
  });
});
