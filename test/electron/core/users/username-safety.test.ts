import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody, Reply } from '../../../../shared/errors';
import { ChangeTracker, openDatabase, type Sqlite } from '../../../../electron/core/db/database';
import { AppError } from '../../../../electron/core/errors';
import { UserRepository } from '../../../../electron/core/users/user-repository';
import { validateProfileFields } from '../../../../electron/core/users/user-validation';
import { MAX_MARKS_PER_BASE, usernameShownSkeleton, usernameSkeleton } from '../../../../electron/core/users/username-safety';
import { FakeTime } from '../../../support/fake-time';
import { makeHarness, OTHER_PASSWORD, setupAdmin, STRONG_PASSWORD } from '../../../support/core-harness';

/** The field message for `username`, or null when it is accepted. */
function refusal(username: string): string | null {
  try {
    validateProfileFields({ username });
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('VALIDATION_ERROR');
    const message = (e as AppError).fields?.username;
    expect(typeof message).toBe('string');
    return message as string;
  }
}

describe('usernames that keep working', () => {
  it.each([
    'zoë', '张伟', 'Ωμέγα', 'José', 'Straße', 'Müller_2', 'Tiếng.Việt', 'Иван', 'मनोज', 'مريم', 'שרה',
    '山田たろう', 'ヤマダ', '山田taro', '김민준', '홍길동.hong', 'abc中文', 'བསྒྲུབ', 'test123', '42',
  ])('accepts %s', (name) => {
    expect(refusal(name)).toBeNull();
  });
});

describe('invisible characters', () => {
  it.each([
    ['Hangul filler U+3164', 'admin\u3164'],
    ['Hangul choseong filler U+115F', 'admin\u115f'],
    ['Hangul jungseong filler U+1160', 'ad\u1160min'],
    ['halfwidth Hangul filler U+FFA0', '\uffa0admin'],
    ['combining grapheme joiner U+034F', 'ad\u034fmin'],
    ['variation selector U+FE0F', 'admin\ufe0f'],
    ['variation selector supplement U+E0100', 'admin\u{e0100}'],
    ['Mongolian free variation selector U+180B', 'admin\u180b'],
    ['a filler alone', '\u3164'],
  ])('refuses a %s, saying it is invisible', (_what, name) => {
    expect(refusal(name)).toMatch(/invisible character \(U\+[0-9A-F]{4,5}\)/);
  });

  it('names the character as typed (NFKC turns U+3164 into U+1160)', () => {
    expect(refusal('admin\u3164')).toMatch(/U\+3164/);
    expect(refusal('\uffa0admin')).toMatch(/U\+FFA0/);
  });
});

describe('letters, digits and marks', () => {
  it('refuses names without a letter or digit', () => {
    for (const name of ['_', '._.', '+-+']) expect(refusal(name)).toBe('Include at least one letter or digit.');
  });

  it('refuses names made only of combining marks, and a leading mark', () => {
    expect(refusal('\u0301\u0302\u0303')).toBe('Include at least one letter or digit.');
    expect(refusal('\u0301admin')).toMatch(/^Start the username with a letter or digit/);
  });

  it(`refuses 40 stacked accents and more than ${MAX_MARKS_PER_BASE} different marks on one letter`, () => {
    expect(refusal(`a${'\u0301'.repeat(40)}`)).toMatch(/same mark twice/);
    const five = '\u0300\u0301\u0302\u0303\u0304';
    expect(refusal(`a${five}`)).toBe(`Use at most ${MAX_MARKS_PER_BASE} accents or marks on one letter.`);
    expect(refusal(`a${five.slice(0, MAX_MARKS_PER_BASE)}b`)).toBeNull();
  });

  it('refuses the same mark twice on one letter (it looks like once)', () => {
    expect(refusal('e\u0301\u0301')).toMatch(/same mark twice/);
  });
});

describe('mixed scripts (UTS #39 Highly Restrictive)', () => {
  // Latin + Armenian ("օ" U+0585 looks like "o") would pass Moderately Restrictive.
  it.each(['\u0430dmin', 'p\u0430yp\u0430l', 'r\u03bf\u03bft', 'ivan_Иван', 'Ωmega', 'p\u0585lice'])('refuses %s', (name) => {
    expect(refusal(name)).toMatch(/one alphabet only/);
  });

  it('allows Latin with Han and kana, Han with Bopomofo, Han with Hangul; refuses Hangul with kana', () => {
    expect(refusal('日本語abcカナ')).toBeNull();
    expect(refusal('王ㄅㄆ')).toBeNull();
    expect(refusal('김金kim')).toBeNull();
    expect(refusal('김カ')).toMatch(/one alphabet only/);
  });

  it('refuses letters from a historic script (outside the identifier profile)', () => {
    expect(refusal('ᚠᚢᚦ')).toMatch(/writing system in everyday use/);
  });
});

describe('usernameSkeleton (UTS #39, confusables.txt)', () => {
  it('maps look-alikes to one skeleton, after NFKC and case folding', () => {
    expect(usernameSkeleton('p\u0430yp\u0430l')).toBe(usernameSkeleton('paypal'));
    expect(usernameSkeleton('r\u03bf\u03bft')).toBe(usernameSkeleton('root'));
    expect(usernameSkeleton('rnary')).toBe(usernameSkeleton('mary'));
    expect(usernameSkeleton('paypa1')).toBe(usernameSkeleton('PayPal'));
    expect(usernameSkeleton('ａｄｍｉｎ')).toBe(usernameSkeleton('admin'));
  });

  it('the shown skeleton also catches a capital I passed off as an l', () => {
    expect(usernameSkeleton('PayPaI')).not.toBe(usernameSkeleton('paypal'));
    expect(usernameShownSkeleton('PayPaI')).toBe(usernameShownSkeleton('paypal'));
    expect(usernameShownSkeleton('AdmIn')).toBe(usernameShownSkeleton('Admln'));
  });

  it('keeps different names apart', () => {
    expect(usernameShownSkeleton('alice')).not.toBe(usernameShownSkeleton('alicia'));
    expect(usernameSkeleton('alice')).not.toBe(usernameSkeleton('alicia'));
    expect(usernameSkeleton('zoë')).not.toBe(usernameSkeleton('zoe'));
  });
});

describe('UserRepository: a look-alike of an existing name', () => {
  const HASH = '$2b$04$abcdefghijklmnopqrstuuJ7Wz0b1mXg3mK2r0yJqYh7l4fQ1u7yS';
  let dir: string;
  let db: Sqlite;
  let users: UserRepository;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'username-safety-'));
    const time = new FakeTime();
    db = openDatabase(dir, { clock: time });
    users = new UserRepository(db, time, new ChangeTracker(db));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const conflictOf = (fn: () => unknown): AppError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('CONFLICT');
      return e as AppError;
    }
    throw new Error('expected a CONFLICT');
  };

  it('refuses a new one with a message that names no account, and creates nothing', () => {
    users.create({ username: 'paypal', passwordHash: HASH });
    const e = conflictOf(() => users.create({ username: 'paypa1', passwordHash: HASH }));
    expect(e.fields?.username).toMatch(/looks too much like the name of an existing account/);
    expect(e.message).not.toMatch(/paypal/i);
    expect(users.count()).toBe(1);
    conflictOf(() => users.create({ username: 'PAYPAL', passwordHash: HASH }));
  });

  it('refuses a rename into a look-alike, and allows renaming oneself within the same skeleton', () => {
    users.create({ username: 'mary', passwordHash: HASH });
    const bob = users.create({ username: 'bob', passwordHash: HASH });
    conflictOf(() => users.update(bob.id, { username: 'rnary' }));
    expect(users.findById(bob.id)?.username).toBe('bob');
    const mary = users.findByIdentifier('mary');
    expect(users.update(mary?.id as number, { username: 'Mary' }).username).toBe('Mary');
    expect(() => users.assertUsernameAvailable('rnary')).toThrow(AppError);
    expect(() => users.assertUsernameAvailable('rnary', mary?.id as number)).not.toThrow();
  });

  it('stores the skeleton of each name (the indexed lookup column)', () => {
    users.create({ username: 'Admin', passwordHash: HASH });
    const row = db.prepare('SELECT username_skeleton FROM users').pluck().get();
    expect(row).toBe(usernameSkeleton('admin'));
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM users WHERE username_skeleton = 'x' OR username_shown_skeleton = 'y'")
      .all() as { detail: string }[];
    const details = plan.map((p) => p.detail).join(' ');
    expect(details).toMatch(/INDEX users_username_skeleton\b/);
    expect(details).toMatch(/INDEX users_username_shown_skeleton\b/);
    expect(details).not.toMatch(/SCAN users/);
  });
});

describe('through dispatch: setup and the admin console', () => {
  const errorOf = (r: Reply): ErrorBody => {
    if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.data)}`);
    return r.error;
  };

  it('setup:create-admin refuses a mixed-script or invisible name as VALIDATION_ERROR fields.username', async () => {
    const h = await makeHarness();
    try {
      for (const username of ['\u0430dmin', 'admin\u3164']) {
        const e = errorOf(await h.call(1, 'setup:create-admin', { username, password: STRONG_PASSWORD }));
        expect(e.code).toBe('VALIDATION_ERROR');
        expect(e.fields?.username).toBeTruthy();
      }
    } finally {
      await h.cleanup();
    }
  });

  it('admin:users:create and update refuse a look-alike of admin (CONFLICT fields.username)', async () => {
    const h = await makeHarness();
    try {
      const admin = await setupAdmin(h);
      const create = { sessionId: admin, password: OTHER_PASSWORD, mustChangePassword: false };
      const e = errorOf(await h.call(1, 'admin:users:create', { ...create, username: 'adrnin' }));
      expect(e.code).toBe('CONFLICT');
      expect(e.fields?.username).toMatch(/looks too much like/);
      expect(JSON.stringify(e)).not.toMatch(/"admin"/);
      const bob = await h.ok<{ id: number }>(1, 'admin:users:create', { ...create, username: 'bob' });
      const u = errorOf(await h.call(1, 'admin:users:update', { sessionId: admin, userId: bob.id, username: 'ADRNIN' }));
      expect(u.fields?.username).toMatch(/looks too much like/);
      expect(u.code).toBe('CONFLICT');
      const v = errorOf(await h.call(1, 'admin:users:update', { sessionId: admin, userId: bob.id, username: 'b\u043eb' }));
      expect(v.code).toBe('VALIDATION_ERROR');
    } finally {
      await h.cleanup();
    }
  });
});
