import { validationError } from '../errors';
import { codePointLength, normalizeEmail, normalizePhone, normalizeUsername } from './user-normalize';
import { usernameSafetyProblem } from './username-safety';

export const USERNAME_MAX = 150;
export const DISPLAY_NAME_MAX = 150;
export const EMAIL_MAX = 254;

/** Letters, marks, digits and . + - _ ; never "@" (an identifier with "@" is an email). */
const USERNAME_RE = /^[\p{L}\p{M}\p{Nd}.+\-_]+$/u;
/** Deliberately simple: one "@", no spaces, a dotted domain. Deliverability is not ours to judge. */
const EMAIL_RE = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/u;
const PHONE_RE = /^\+?[0-9]{5,20}$/;
/**
 * C0/C1 controls and line separators, plus the bidi embedding, override and isolate
 * controls: "\u202Enimda" renders as "admin" in a list of accounts (the Trojan-Source
 * spoof). Plain RTL names need none of them.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** True when `value` holds a character that can break or spoof how a name is shown (see CONTROL_RE). */
export function hasControlCharacters(value: string): boolean {
  return CONTROL_RE.test(value);
}

export interface ProfileFieldsInput {
  username?: string;
  email?: string | null;
  phone?: string | null;
  displayName?: string | null;
}

export interface ProfileFields {
  username?: string;
  email?: string | null;
  phone?: string | null;
  displayName?: string;
}

/**
 * Normalizes and validates the profile fields present in `input`. Every problem is
 * reported at once, by field; throws VALIDATION_ERROR with `fields` when any.
 * Empty email/phone mean "none" (null).
 */
export function validateProfileFields(input: ProfileFieldsInput): ProfileFields {
  const out: ProfileFields = {};
  const errors: Record<string, string> = {};

  if (input.username !== undefined) {
    const u = normalizeUsername(input.username);
    const len = codePointLength(u);
    if (len === 0) errors.username = 'Enter a username.';
    else if (len > USERNAME_MAX) errors.username = `Use at most ${USERNAME_MAX} characters.`;
    else if (u.includes('@')) errors.username = 'A username cannot contain "@" (that would make it an email).';
    else {
      // Invisible and look-alike tricks first: their message says more than "letters only".
      const problem = usernameSafetyProblem(u, input.username) ?? (USERNAME_RE.test(u) ? null : 'Use only letters, digits and . + - _ (no spaces).');
      if (problem === null) out.username = u;
      else errors.username = problem;
    }
  }

  if (input.email !== undefined) {
    const raw = input.email === null ? '' : input.email;
    if (raw === '') out.email = null;
    else {
      const e = normalizeEmail(raw);
      if (codePointLength(e) > EMAIL_MAX) errors.email = `Use at most ${EMAIL_MAX} characters.`;
      else if (!EMAIL_RE.test(e) || CONTROL_RE.test(e)) errors.email = 'Enter a valid email address, like name@example.com.';
      else out.email = e;
    }
  }

  if (input.phone !== undefined) {
    const raw = input.phone === null ? '' : input.phone;
    if (raw === '') out.phone = null;
    else {
      const p = normalizePhone(raw);
      if (!PHONE_RE.test(p)) errors.phone = 'Enter 5 to 20 digits, optionally starting with +.';
      else out.phone = p;
    }
  }

  if (input.displayName !== undefined) {
    const d = (input.displayName ?? '').normalize('NFKC');
    if (codePointLength(d) > DISPLAY_NAME_MAX) errors.displayName = `Use at most ${DISPLAY_NAME_MAX} characters.`;
    else if (CONTROL_RE.test(d)) errors.displayName = 'Remove control characters (such as line breaks).';
    else out.displayName = d.trim();
  }

  if (Object.keys(errors).length > 0) throw validationError(errors);
  return out;
}
