import { describe, expect, it } from 'vitest';
import { PasswordHasher, prehashPassword } from '../../../../electron/core/auth/password-hasher';

// Real bcrypt at cost 4 (the fastest bcrypt allows): no mocks of the hash itself.
const hasher = new PasswordHasher({ cost: 4 });

describe('PasswordHasher', () => {
  it('hashes at the configured cost and verifies the same password', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(hasher.cost).toBe(4);
    expect(await hasher.verify('correct horse battery staple', hash)).toBe(true);
    expect(await hasher.verify('correct horse battery stapl', hash)).toBe(false);
  });

  it('uses the whole of a long password, not its first 72 bytes', async () => {
    const long = 'a'.repeat(72) + 'b'.repeat(28);
    expect(long).toHaveLength(100);
    const hash = await hasher.hash(long);
    expect(await hasher.verify(long, hash)).toBe(true);
    expect(await hasher.verify('a'.repeat(72), hash)).toBe(false);
    expect(await hasher.verify('a'.repeat(72) + 'c'.repeat(28), hash)).toBe(false);
  });

  it('tells apart two 100-character passwords that differ only at character 90', async () => {
    const base = 'x'.repeat(100);
    const other = base.slice(0, 89) + 'y' + base.slice(90);
    expect(other).toHaveLength(100);
    expect(other).not.toBe(base);
    const hash = await hasher.hash(base);
    expect(await hasher.verify(base, hash)).toBe(true);
    expect(await hasher.verify(other, hash)).toBe(false);
  });

  it('accepts a 30-character Chinese password (90 UTF-8 bytes)', async () => {
    const pw = '我的密码是一个很长的中文句子不会被截断也不会出错真的吗是的好';
    expect([...pw]).toHaveLength(30);
    expect(Buffer.byteLength(pw, 'utf8')).toBeGreaterThan(72);
    const hash = await hasher.hash(pw);
    expect(await hasher.verify(pw, hash)).toBe(true);
    expect(await hasher.verify(pw.slice(0, 24), hash)).toBe(false);
  });

  it('does not stop at a NUL character', async () => {
    const hash = await hasher.hash('ab\0cdefghijklmnop');
    expect(await hasher.verify('ab\0cdefghijklmnop', hash)).toBe(true);
    expect(await hasher.verify('ab\0zzzzzzzzzzzzzz', hash)).toBe(false);
    expect(await hasher.verify('ab', hash)).toBe(false);
  });

  it('feeds bcrypt 44 base64 characters without NUL bytes', () => {
    const input = prehashPassword('ab\0cdefghijklmnop');
    expect(input).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(input.includes('\0')).toBe(false);
  });

  it('normalizes with NFKC: a precomposed é verifies with e + combining accent', async () => {
    const hash = await hasher.hash('caf\u00e9 au lait tous les matins');
    expect(await hasher.verify('cafe\u0301 au lait tous les matins', hash)).toBe(true);
    // Compatibility forms too: the "ﬁ" ligature is "fi".
    const hash2 = await hasher.hash('\ufb01rst light over the bay');
    expect(await hasher.verify('first light over the bay', hash2)).toBe(true);
  });

  it('gives every hash its own salt', async () => {
    const hashes = await Promise.all(Array.from({ length: 20 }, () => hasher.hash('same password every time')));
    expect(new Set(hashes).size).toBe(20);
    for (const h of hashes) expect(await hasher.verify('same password every time', h)).toBe(true);
  });

  it('asks for a rehash when the stored cost differs from the configured one', async () => {
    const cost5 = await new PasswordHasher({ cost: 5 }).hash('pw');
    expect(cost5).toMatch(/^\$2[aby]\$05\$/);
    expect(hasher.needsRehash(cost5)).toBe(true);
    expect(new PasswordHasher({ cost: 6 }).needsRehash(cost5)).toBe(true);
    expect(new PasswordHasher({ cost: 5 }).needsRehash(cost5)).toBe(false);
    expect(hasher.needsRehash(await hasher.hash('pw'))).toBe(false);
    expect(hasher.needsRehash('garbage')).toBe(true);
  });

  it('answers false, without throwing, for a malformed hash', async () => {
    for (const bad of ['garbage', '', '$2b$04$short', '$2b$31$' + 'a'.repeat(53), '$1$abc$def']) {
      await expect(hasher.verify('whatever password', bad)).resolves.toBe(false);
    }
  });

  it('verifyDummy always answers false and reuses one dummy hash', async () => {
    const answers = await Promise.all([hasher.verifyDummy('a'), hasher.verifyDummy('b'), hasher.verifyDummy('')]);
    expect(answers).toEqual([false, false, false]);
    expect(await hasher.verifyDummy('a')).toBe(false);
  });

  it('accepts a 1024-code-point password (4-byte characters)', async () => {
    const pw = '\u{1F600}'.repeat(1023) + 'x';
    expect([...pw]).toHaveLength(1024);
    const hash = await hasher.hash(pw);
    expect(await hasher.verify(pw, hash)).toBe(true);
    expect(await hasher.verify('\u{1F600}'.repeat(1023) + 'y', hash)).toBe(false);
  });

  it('refuses a cost outside 4..16', () => {
    expect(() => new PasswordHasher({ cost: 3 })).toThrow(RangeError);
    expect(() => new PasswordHasher({ cost: 17 })).toThrow(RangeError);
    expect(() => new PasswordHasher({ cost: 12.5 })).toThrow(RangeError);
    expect(new PasswordHasher({ cost: 12 }).cost).toBe(12);
  });
});
