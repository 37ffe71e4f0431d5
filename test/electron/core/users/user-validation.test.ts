import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/core/errors';
import {
  DISPLAY_NAME_MAX,
  EMAIL_MAX,
  USERNAME_MAX,
  validateProfileFields,
  type ProfileFieldsInput,
} from '../../../../electron/core/users/user-validation';

/** The `fields` of the VALIDATION_ERROR thrown for `input` (fails the test if none). */
function fieldErrors(input: ProfileFieldsInput): Record<string, string> {
  let caught: unknown;
  try {
    validateProfileFields(input);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AppError);
  const error = caught as AppError;
  expect(error.code).toBe('VALIDATION_ERROR');
  expect(error.fields).toBeDefined();
  for (const message of Object.values(error.fields ?? {})) expect(message).toMatch(/^[A-Z].*\.$/);
  return error.fields ?? {};
}

describe('username', () => {
  it('accepts letters (any script), digits and . + - _', () => {
    for (const name of ['alice', 'Bob.Smith', 'a+b', 'x-y_z', 'Zoë', '李雷', 'Ωμέγα', '007']) {
      expect(validateProfileFields({ username: name }).username).toBe(name);
    }
  });

  it('stores NFKC with the case as typed', () => {
    expect(validateProfileFields({ username: '\u2126\u03bc\u03b5\u03b3\u03b1' }).username).toBe('\u03A9\u03bc\u03b5\u03b3\u03b1');
  });

  it('accepts 1 and 150 characters, refuses 0 and 151', () => {
    expect(validateProfileFields({ username: 'a' }).username).toBe('a');
    expect(validateProfileFields({ username: 'a'.repeat(USERNAME_MAX) }).username).toHaveLength(150);
    expect(USERNAME_MAX).toBe(150);
    expect(fieldErrors({ username: 'a'.repeat(151) }).username).toMatch(/150/);
    expect(fieldErrors({ username: '' }).username).toMatch(/Enter a username/);
  });

  it('counts code points: 150 emoji-free non-BMP letters are fine', () => {
    const name = '\u{20000}'.repeat(150); // CJK Extension B, two UTF-16 units each
    expect(validateProfileFields({ username: name }).username).toBe(name);
    fieldErrors({ username: '\u{20000}'.repeat(151) });
  });

  it('refuses "@" with a message saying why', () => {
    expect(fieldErrors({ username: 'alice@home' }).username).toMatch(/@/);
  });

  it('refuses spaces, punctuation, control characters and emoji', () => {
    for (const name of ['al ice', ' alice', 'alice\t', 'a/b', 'a\\b', "o'neil", 'a\u0000b', 'a\nb', 'a😀', 'a,b']) {
      expect(fieldErrors({ username: name }).username, JSON.stringify(name)).toMatch(/letters, digits/);
    }
  });
});

describe('email', () => {
  it('is optional: null, empty and absent all mean none', () => {
    expect(validateProfileFields({ email: null }).email).toBeNull();
    expect(validateProfileFields({ email: '' }).email).toBeNull();
    expect(validateProfileFields({})).toEqual({});
  });

  it('lowercases the domain and keeps the local part', () => {
    expect(validateProfileFields({ email: 'Alice.Smith@Example.COM' }).email).toBe('Alice.Smith@example.com');
  });

  it('refuses malformed addresses', () => {
    for (const e of ['alice', 'alice@', '@example.com', 'a@b', 'a b@example.com', 'a@@example.com', 'a@example..com', 'a\n@example.com']) {
      expect(fieldErrors({ email: e }).email, JSON.stringify(e)).toMatch(/valid email/);
    }
  });

  it(`refuses more than ${EMAIL_MAX} characters`, () => {
    const long = `${'a'.repeat(60)}@${'b'.repeat(190)}.com`;
    expect(long.length).toBe(255);
    expect(fieldErrors({ email: long }).email).toMatch(/254/);
  });
});

describe('phone', () => {
  it('stores digits only, with an optional leading +', () => {
    expect(validateProfileFields({ phone: '+1 (555) 010-2030' }).phone).toBe('+15550102030');
    expect(validateProfileFields({ phone: '12345' }).phone).toBe('12345');
    expect(validateProfileFields({ phone: '1'.repeat(20) }).phone).toBe('1'.repeat(20));
  });

  it('refuses 4 digits, 21 digits, letters and a + in the middle', () => {
    for (const p of ['1234', '+1234', '1'.repeat(21), '555-CALL-NOW', '12+345678']) {
      expect(fieldErrors({ phone: p }).phone, p).toMatch(/5 to 20 digits/);
    }
  });

  it('is optional', () => {
    expect(validateProfileFields({ phone: null }).phone).toBeNull();
    expect(validateProfileFields({ phone: '' }).phone).toBeNull();
  });
});

describe('display name', () => {
  it('is trimmed; null means empty', () => {
    expect(validateProfileFields({ displayName: '  Alice Smith ' }).displayName).toBe('Alice Smith');
    expect(validateProfileFields({ displayName: null }).displayName).toBe('');
  });

  it(`refuses control characters and more than ${DISPLAY_NAME_MAX} characters`, () => {
    expect(fieldErrors({ displayName: 'Alice\nSmith' }).displayName).toMatch(/control/);
    expect(fieldErrors({ displayName: 'Alice\u2028Smith' }).displayName).toMatch(/control/);
    expect(fieldErrors({ displayName: 'x'.repeat(151) }).displayName).toMatch(/150/);
  });

  it('refuses bidi overrides and isolates (a name that renders as another one)', () => {
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(fieldErrors({ displayName: `${c}nimda` }).displayName).toMatch(/control/);
    }
    expect(fieldErrors({ email: 'a\u202Eb@example.com' }).email).toMatch(/valid email/);
    expect(validateProfileFields({ displayName: 'سارة أحمد' }).displayName).toBe('سارة أحمد');
    expect(validateProfileFields({ displayName: 'שרה כהן' }).displayName).toBe('שרה כהן');
  });

  it('counts code points for the 150 limit', () => {
    expect(validateProfileFields({ displayName: 'é'.repeat(150) }).displayName).toHaveLength(150);
    expect(fieldErrors({ displayName: 'x'.repeat(151) }).displayName).toMatch(/150/);
  });
});

describe('several problems at once', () => {
  it('reports every bad field in one error', () => {
    const fields = fieldErrors({ username: 'bad name', email: 'nope', phone: '12', displayName: 'a\u0007' });
    expect(Object.keys(fields).sort()).toEqual(['displayName', 'email', 'phone', 'username']);
  });
});
