import { describe, expect, it } from 'vitest';
import { commonPasswordCount, isCommonPassword } from '../../../../electron/core/auth/common-passwords';
import {
  PASSWORD_MAX_LENGTH,
  checkPasswordPolicy,
  passwordPolicyError,
  quickRatio,
} from '../../../../electron/core/auth/password-policy';
import { AppError } from '../../../../electron/core/errors';
import { makeHarness } from '../../../support/core-harness';
import { mulberry32 } from '../../../support/seeded-random';

const opts = { minLength: 12 };
const ctx = { username: 'alice', email: 'alice.liddell@example.com', displayName: 'Alice Liddell' };
const none = {};

/** `n` characters picked at random (seeded) from `alphabet`: no repetition or sequence pattern. */
function varied(n: number, alphabet: readonly string[], seed = 7): string {
  const next = mulberry32(seed);
  return Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)] as string).join('');
}
const ACCENTED = [...'éàüöçñîôûëïâêœåøß'];
const EMOJI = Array.from({ length: 40 }, (_, i) => String.fromCodePoint(0x1f600 + i));

describe('checkPasswordPolicy', () => {
  it('accepts a long passphrase with no composition rules', () => {
    expect(checkPasswordPolicy('correcthorsebatterystaple', ctx, opts)).toEqual([]);
    expect(checkPasswordPolicy('correcthorsebatterystaple', none, opts)).toEqual([]);
  });

  it('too-short alone, at the boundary, counted in code points', () => {
    expect(checkPasswordPolicy('xq7vrmplwzt', none, opts)).toEqual(['too-short']); // 11
    expect(checkPasswordPolicy('xq7vrmplwztk', none, opts)).toEqual([]); // 12
    const fifteen = varied(15, ACCENTED);
    expect(checkPasswordPolicy(fifteen, none, { minLength: 15 })).toEqual([]);
    expect(checkPasswordPolicy([...fifteen].slice(0, 14).join(''), none, { minLength: 15 })).toEqual(['too-short']);
    // e + combining accent is 2 code points, NFKC makes it 1.
    expect(fifteen.normalize('NFD').length).toBeGreaterThan(15);
    expect(checkPasswordPolicy(fifteen.normalize('NFD'), none, { minLength: 15 })).toEqual([]);
    expect(checkPasswordPolicy(varied(12, EMOJI), none, opts)).toEqual([]);
  });

  it('too-long alone above 1024 code points', () => {
    expect(PASSWORD_MAX_LENGTH).toBe(1024);
    const long = varied(1024, [...'qvzkmwhjbxyf']);
    expect(checkPasswordPolicy(long, none, opts)).toEqual([]);
    expect(checkPasswordPolicy(long + 'q', none, opts)).toEqual(['too-long']);
    expect(checkPasswordPolicy(varied(1024, EMOJI), none, opts)).toEqual([]);
  });

  it('common alone (lowercased and trimmed, whole-string match)', () => {
    expect(checkPasswordPolicy('iloveyou', none, { minLength: 8 })).toEqual(['common']);
    expect(checkPasswordPolicy('  ILoveYou ', none, { minLength: 8 })).toEqual(['common']);
    expect(checkPasswordPolicy('qwertyuiop-for-my-bank', none, { minLength: 8 })).toEqual([]);
    // A common keyboard walk is both.
    expect(checkPasswordPolicy('qwertyuiop', none, { minLength: 8 })).toEqual(['common', 'sequential']);
  });

  it('numeric alone', () => {
    expect(checkPasswordPolicy('83920174659302', none, opts)).toEqual(['numeric']);
    expect(checkPasswordPolicy('８３９２０１７４６５９３０２', none, opts)).toEqual(['numeric']); // full-width
    expect(checkPasswordPolicy('83920174659302a', none, opts)).toEqual([]);
  });

  it('similar alone: the username followed by a year and symbols (standards row 7)', () => {
    expect(checkPasswordPolicy('alice2024!!!!!!', ctx, opts)).toEqual(['similar']);
    expect(checkPasswordPolicy('alice2024!!!!!!', { username: 'alice' }, opts)).toEqual(['similar']);
    expect(checkPasswordPolicy('alice2024!!!!!!', none, opts)).toEqual([]);
  });

  it('similar: case, separators, email parts, display name words, app name', () => {
    expect(checkPasswordPolicy('My-ALICE-password!', { username: 'Alice' }, opts)).toEqual(['similar']);
    expect(checkPasswordPolicy('a.l.i.c.e.forever!', { username: 'alice' }, opts)).toEqual(['similar']);
    expect(checkPasswordPolicy('liddell-rocks-hard', { email: 'alice.liddell@example.com' }, opts)).toEqual([
      'similar',
    ]);
    expect(checkPasswordPolicy('wonderland-liddell', { displayName: 'Alice Liddell' }, opts)).toEqual(['similar']);
    expect(checkPasswordPolicy('LocalAccounts2024!', none, opts)).toEqual(['similar']);
    expect(checkPasswordPolicy('local accounts rule', none, opts)).toEqual(['similar']);
    // Django's ratio test: a shuffled username of similar length.
    expect(checkPasswordPolicy('nodreglibatt', { username: 'bartglidden' }, opts)).toEqual(['similar']);
    // Short parts (under 4) are not searched inside the password.
    expect(checkPasswordPolicy('bob-builds-bridges', { username: 'bob' }, opts)).toEqual([]);
    expect(checkPasswordPolicy('correcthorsebatterystaple', { username: 'x', email: null, displayName: null }, opts)).toEqual(
      [],
    );
  });

  it('reports every failing reason together', () => {
    expect(checkPasswordPolicy('123456', none, opts)).toEqual(['too-short', 'common', 'numeric', 'sequential']);
    expect(checkPasswordPolicy('alice', { username: 'alice' }, opts)).toEqual(['too-short', 'common', 'similar']);
    expect(checkPasswordPolicy('9'.repeat(1025), { username: '9999' }, opts)).toEqual(['too-long', 'numeric', 'similar', 'repetitive']);
  });
});

describe('repetitive and sequential passwords (NIST 800-63B)', () => {
  it.each(['aaaaaaaaaaaa', 'abcabcabcabc', ' '.repeat(12), 'aaaaaaaaaaab', 'abababababab', 'xyzxyzxyzxyz'])(
    'refuses %j as repetitive',
    (pw) => {
      expect(checkPasswordPolicy(pw, none, opts)).toContain('repetitive');
      expect(checkPasswordPolicy(pw, none, opts)).not.toContain('sequential');
    },
  );

  it.each([
    'abcdefghijkl', 'ABCDEFGHIJKL', 'zyxwvutsrqpo', '123456789012', '210987654321', 'abcdefabcdef',
    'qwertyuiopas', '1qaz2wsx3edc', "asdfghjkl;'", 'zxcvbnm,./zx', 'qazwsxedcrfv', 'poiuytrewqlk', '!@#$%^&*()_+',
  ])('refuses %j as sequential', (pw) => {
    expect(checkPasswordPolicy(pw, none, opts)).toContain('sequential');
  });

  it('accepts good passphrases and random strings that contain a short run', () => {
    for (const pw of [
      'correct horse battery staple', 'violet umbrella marching slowly', 'hunter2hunter2', 'Tr0ub4dor&3xyz!',
      'abc is how my song starts', 'zoë loves 张伟 and Ωμέγα', 'correcthorsecorrecthorse',
    ]) expect(checkPasswordPolicy(pw, none, opts), pw).toEqual([]);
    const alphabet = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_=+[]{};:,.<>/?'];
    for (let seed = 1; seed <= 500; seed++) {
      const pw = varied(16, alphabet, seed);
      expect(checkPasswordPolicy(pw, none, opts), pw).toEqual([]);
    }
  });

  it('refuses them for the first superuser too (setup:create-admin), with the reason and its sentence', async () => {
    const h = await makeHarness();
    try {
      for (const [password, reason] of [['qwertyuiopas', 'sequential'], ['abcabcabcabc', 'repetitive']] as const) {
        const r = await h.call(1, 'setup:create-admin', { username: 'admin', password });
        if (r.ok) throw new Error('setup accepted a patterned password');
        expect(r.error.code).toBe('PASSWORD_POLICY');
        expect(r.error.reasons).toEqual([reason]);
        expect(r.error.message).toMatch(reason === 'sequential' ? /sequence of consecutive/ : /repeats/);
      }
    } finally {
      await h.cleanup();
    }
  });
});

describe('common password list', () => {
  it('ships at least 10,000 entries', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
    expect(isCommonPassword('godzilla')).toBe(true);
    expect(isCommonPassword('correcthorsebatterystaple')).toBe(false);
  });
});

describe('quickRatio', () => {
  it('matches difflib.SequenceMatcher.quick_ratio', () => {
    expect(quickRatio('abcd', 'bcde')).toBeCloseTo(0.75);
    expect(quickRatio('abc', 'xyz')).toBe(0);
    expect(quickRatio('', '')).toBe(1);
  });
});

describe('passwordPolicyError', () => {
  it('carries the code, every reason and one readable message', () => {
    const err = passwordPolicyError(['too-short', 'common'], { minLength: 12 });
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('PASSWORD_POLICY');
    expect(err.reasons).toEqual(['too-short', 'common']);
    expect(err.message).toBe('Password must be at least 12 characters. This password is too common.');
    expect(err.toBody()).toMatchObject({ code: 'PASSWORD_POLICY', reasons: ['too-short', 'common'] });
  });

  it('has a plain sentence for every reason', () => {
    const all = ['too-short', 'too-long', 'common', 'numeric', 'similar', 'same-as-current'] as const;
    const err = passwordPolicyError([...all]);
    expect(err.reasons).toEqual([...all]);
    expect(err.message).toContain('too short');
    expect(err.message).toContain('at most 1024 characters');
    expect(err.message).toContain('too common');
    expect(err.message).toContain('entirely numeric');
    expect(err.message).toContain('too similar');
    expect(err.message).toContain('different from the current');
  });
});
