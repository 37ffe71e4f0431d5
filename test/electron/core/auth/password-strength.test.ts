import { describe, expect, it } from 'vitest';
import { estimateStrength } from '../../../../electron/core/auth/password-strength';

describe('estimateStrength', () => {
  it('scores a very common password at most 1, with feedback', () => {
    const r = estimateStrength('password');
    expect(r.score).toBeLessThanOrEqual(1);
    expect(r.warning).not.toBe('');
    expect(Array.isArray(r.suggestions)).toBe(true);
    expect(r.guessesLog10).toBeLessThan(3);
  });

  it('scores a long random passphrase 4', () => {
    const r = estimateStrength('vault quiver ember trombone glacier mosaic 17');
    expect(r.score).toBe(4);
    expect(r.guessesLog10).toBeGreaterThan(10);
  });

  it('user inputs lower the score of a password equal to the username', () => {
    const pw = 'zephyrquokka';
    const without = estimateStrength(pw);
    const withInputs = estimateStrength(pw, ['zephyrquokka', 'zq@example.com']);
    expect(withInputs.score).toBeLessThan(without.score);
    expect(withInputs.guessesLog10).toBeLessThan(without.guessesLog10);
  });

  it('still sees through l33t substitutions', () => {
    expect(estimateStrength('P@ssw0rd').score).toBeLessThanOrEqual(1);
  });

  it('scores a 1024-character l33t-heavy password (bounded work on the main process)', () => {
    const r = estimateStrength('k7#Qw'.repeat(204) + 'k7#Q');
    expect([0, 1, 2, 3, 4]).toContain(r.score);
    expect(Number.isFinite(r.guessesLog10)).toBe(true);
  });
});
