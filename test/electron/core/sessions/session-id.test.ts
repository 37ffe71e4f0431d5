import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  handleOf,
  hashSessionId,
  looksLikeSessionId,
  newSessionId,
} from '../../../../electron/core/sessions/session-id';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('newSessionId', () => {
  const ids = Array.from({ length: 100_000 }, () => newSessionId());

  it('gives 100,000 distinct IDs of 43 base64url characters, 32 bytes each (standards #30)', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const bytes = Buffer.from(id, 'base64url');
      expect(bytes.length).toBe(32);
      // Canonical: the encoding of those bytes is the ID itself (no padding, no spare bits).
      expect(bytes.toString('base64url')).toBe(id);
    }
  });

  it('uses the whole alphabet evenly (a biased generator would show here)', () => {
    // 42 full characters per ID: ~65,600 of each symbol; +-10% is over 25 standard deviations.
    const counts = new Map<string, number>();
    for (const id of ids) for (const ch of id.slice(0, 42)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...BASE64URL].sort());
    const expected = (ids.length * 42) / 64;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.1);
    // 256 = 42 * 6 + 4: the 43rd character holds the last 4 bits and 2 zero bits, so
    // its alphabet index is a multiple of 4 (16 symbols, all of them seen).
    const last = new Set(ids.map((id) => id[42]!));
    expect([...last].sort()).toEqual([...BASE64URL].filter((_, i) => i % 4 === 0).sort());
  });

  it('is accepted by looksLikeSessionId', () => {
    expect(ids.every(looksLikeSessionId)).toBe(true);
  });
});

describe('looksLikeSessionId', () => {
  const id = newSessionId();

  it.each([
    ['42 characters', id.slice(0, 42)],
    ['44 characters', `${id}A`],
    ['empty', ''],
    ["a '+' (base64, not base64url)", `+${id.slice(1)}`],
    ["a '/' (a path separator)", `${id.slice(0, 20)}/${id.slice(21)}`],
    ["'=' padding", `${id.slice(0, 42)}=`],
    ['a trailing newline', `${id.slice(0, 42)}\n`],
    ['a space', ` ${id.slice(1)}`],
    ['a non-ASCII look-alike', `${id.slice(0, 42)}а`],
    ['a hash instead of an ID', hashSessionId(id)],
  ])('rejects %s', (_label, value) => {
    expect(looksLikeSessionId(value)).toBe(false);
  });

  it('accepts 43 characters of the base64url alphabet, - and _ included', () => {
    expect(looksLikeSessionId(id)).toBe(true);
    expect(looksLikeSessionId(`-_${'A'.repeat(41)}`)).toBe(true);
  });
});

describe('hashSessionId and handleOf', () => {
  it('hashes to 64 lowercase hex: SHA-256 of the ID', () => {
    const id = newSessionId();
    const hash = hashSessionId(id);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash('sha256').update(id, 'utf8').digest('hex'));
    expect(hashSessionId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashSessionId(id)).toBe(hash);
    expect(hashSessionId(newSessionId())).not.toBe(hash);
  });

  it('names a session by the first 16 hex characters of its hash', () => {
    const hash = hashSessionId(newSessionId());
    const handle = handleOf(hash);
    expect(handle).toMatch(/^[0-9a-f]{16}$/);
    expect(handle).toBe(hash.slice(0, 16));
    expect(hash.startsWith(handle)).toBe(true);
  });
});
