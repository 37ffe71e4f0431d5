import { describe, expect, it } from 'vitest';
import { commonPasswordCount, isCommonPassword } from '../../../../electron/core/auth/common-passwords';
import {
  PASSWORD_MAX_LENGTH,
  checkPasswordPolicy,
  passwordPolicyError,
  quickRatio,
} from '../../../../electron/core/auth/password-policy';
import { AppError } from '../../../../electron/core/errors';

const opts = { minLength: 12 };
const ctx = { username: 'alice', email: 'alice.liddell@example.com', displayName: 'Alice Liddell' };
const none = {};

describe('checkPasswordPolicy', () => {
  it('accepts a long passphrase with no composition rules', () => {
    expect(checkPasswordPolicy('correcthorsebatterystaple', ctx, opts)).toEqual([]);
    expect(checkPasswordPolicy('correcthorsebatterystaple', none, opts)).toEqual([]);
  });

  it('too-short alone, at the boundary, counted in code points', () => {
    expect(checkPasswordPolicy('xq7vrmplwzt', none, opts)).toEqual(['too-short']); // 11
    expect(checkPasswordPolicy('xq7vrmplwztk', none, opts)).toEqual([]); // 12
    expect(checkPasswordPolicy('é'.repeat(15), none, { minLength: 15 })).toEqual([]);
    expect(checkPasswordPolicy('é'.repeat(14), none, { minLength: 15 })).toEqual(['too-short']);
    // e + combining accent is 2 code points, NFKC makes it 1.
    expect(checkPasswordPolicy('e\u0301'.repeat(15), none, { minLength: 15 })).toEqual([]);
    expect(checkPasswordPolicy('\u{1F600}'.repeat(12), none, opts)).toEqual([]);
  });

  it('too-long alone above 1024 code points', () => {
    expect(PASSWORD_MAX_LENGTH).toBe(1024);
    const word = 'qvzk';
    expect(checkPasswordPolicy(word.repeat(256), none, opts)).toEqual([]);
    expect(checkPasswordPolicy(word.repeat(256) + 'q', none, opts)).toEqual(['too-long']);
    expect(checkPasswordPolicy('\u{1F600}'.repeat(1024), none, opts)).toEqual([]);
  });

  it('common alone (lowercased and trimmed, whole-string match)', () => {
    expect(checkPasswordPolicy('qwertyuiop', none, { minLength: 8 })).toEqual(['common']);
    expect(checkPasswordPolicy('  QwertyUiop ', none, { minLength: 8 })).toEqual(['common']);
    expect(checkPasswordPolicy('qwertyuiop-for-my-bank', none, { minLength: 8 })).toEqual([]);
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
    expect(checkPasswordPolicy('123456', none, opts)).toEqual(['too-short', 'common', 'numeric']);
    expect(checkPasswordPolicy('alice', { username: 'alice' }, opts)).toEqual(['too-short', 'common', 'similar']);
    expect(checkPasswordPolicy('9'.repeat(1025), { username: '9999' }, opts)).toEqual(['too-long', 'numeric', 'similar']);
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
