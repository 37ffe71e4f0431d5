import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  foldKey,
  identifierKind,
  normalizeEmail,
  normalizePhone,
  normalizeUsername,
} from '../../../../electron/core/users/user-normalize';

const OHM = '\u2126';
const OMEGA = '\u03A9';

describe('foldKey', () => {
  it('makes case variants the same key', () => {
    expect(foldKey('Alice')).toBe('alice');
    expect(foldKey('ALICE')).toBe(foldKey('alice'));
  });

  it('applies NFKC first: the Ohm sign is Omega, ligatures and full-width letters unfold', () => {
    expect(foldKey(OHM)).toBe(foldKey(OMEGA));
    expect(foldKey(`${OHM}mega`)).toBe(foldKey(`${OMEGA}MEGA`));
    expect(foldKey('\uFB01le')).toBe('file'); // "ﬁ" ligature
    expect(foldKey('\uFF21\uFF4C\uFF49\uFF43\uFF45')).toBe('alice'); // full-width "Ａｌｉｃｅ"
  });

  it("folds 'ß' together with 'SS' and 'ss'", () => {
    expect(foldKey('straße')).toBe(foldKey('STRASSE'));
    expect(foldKey('ß')).toBe('ss');
  });

  it('makes composed and decomposed accents the same key', () => {
    expect(foldKey('Jos\u00E9')).toBe(foldKey('JOSE\u0301'));
  });

  it('is idempotent', () => {
    for (const v of ['Straße', OHM, 'Ǆemal', 'ΣΊΣΥΦΟΣ', 'İstanbul']) expect(foldKey(foldKey(v))).toBe(foldKey(v));
  });
});

describe('normalizeUsername', () => {
  it('keeps the case as typed and applies NFKC', () => {
    expect(normalizeUsername('Alice')).toBe('Alice');
    expect(normalizeUsername(OHM)).toBe(OMEGA);
    expect(normalizeUsername('JOSE\u0301')).toBe('JOS\u00C9');
  });
});

describe('normalizeEmail', () => {
  it('lowercases the domain only', () => {
    expect(normalizeEmail('Alice.Smith@Example.COM')).toBe('Alice.Smith@example.com');
  });

  it('splits at the last "@"', () => {
    expect(normalizeEmail('"a@b"@EXAMPLE.org')).toBe('"a@b"@example.org');
  });

  it('leaves a value without "@" alone (validation refuses it later)', () => {
    expect(normalizeEmail('NoAt')).toBe('NoAt');
  });
});

describe('normalizePhone', () => {
  it('drops spaces, dots, dashes and parentheses', () => {
    expect(normalizePhone('+1 (555) 010-2030')).toBe('+15550102030');
    expect(normalizePhone('030.1234.5678')).toBe('03012345678');
  });

  it('turns full-width digits into ASCII', () => {
    expect(normalizePhone('\uFF10\uFF11\uFF12\uFF13\uFF14')).toBe('01234');
  });
});

describe('identifierKind', () => {
  it('is email exactly when the identifier contains "@"', () => {
    expect(identifierKind('alice@example.com')).toBe('email');
    expect(identifierKind('@alice')).toBe('email');
    expect(identifierKind('alice')).toBe('username');
  });
});

describe('codePointLength', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('é'.repeat(15))).toBe(15);
    expect(codePointLength('😀😀')).toBe(2);
    expect('😀😀'.length).toBe(4);
    expect(codePointLength('')).toBe(0);
  });
});
