import { PASSWORD_POLICY_REASONS, type PasswordPolicyReason } from '../../../shared/errors';
import { AppError } from '../errors';
import { codePointLength, foldKey } from '../users/user-normalize';
import { isCommonPassword } from './common-passwords';
import { isRepetitive, isSequential } from './password-patterns';

/**
 * Server-side password policy (DESIGN.md "Authentication"; standards.md rows 1-7;
 * Django's validators). The renderer may show the same rules as hints, but only this
 * check counts: a renderer can be bypassed.
 *
 * No composition rules (no "needs a digit"): NIST 63B and ASVS 6.2.5 forbid them.
 * Every failing rule is reported at once, in PASSWORD_POLICY_REASONS order, so a person
 * does not fix one problem only to be told about the next.
 *
 * 'same-as-current' is not decided here: it needs the stored hash, so the caller checks
 * it with PasswordHasher.verify and adds the reason before calling passwordPolicyError.
 */

/** Longest password accepted, in code points after NFKC (ASVS 6.2.9 wants ≥ 64). */
export const PASSWORD_MAX_LENGTH = 1024;

/** Django's UserAttributeSimilarityValidator default. */
export const MAX_SIMILARITY = 0.7;

/** Attribute parts at least this long (code points) may not appear inside the password. */
export const MIN_CONTAINED_LENGTH = 4;

/** The app's own name, in the forms people would type it (context word, row 7). */
const APP_NAME_FORMS = ['local accounts', 'localaccounts'];

export interface PasswordPolicyContext {
  username?: string;
  email?: string | null;
  displayName?: string | null;
}

export interface PasswordPolicyOptions {
  minLength: number;
}

export function checkPasswordPolicy(
  password: string,
  ctx: PasswordPolicyContext,
  opts: PasswordPolicyOptions,
): PasswordPolicyReason[] {
  const normalized = password.normalize('NFKC');
  const length = codePointLength(normalized);
  const failed = new Set<PasswordPolicyReason>();

  if (length < opts.minLength) failed.add('too-short');
  if (length > PASSWORD_MAX_LENGTH) failed.add('too-long');
  if (isCommonPassword(normalized)) failed.add('common');
  // \p{Nd}: any decimal digit, like Python's str.isdigit in Django's NumericPasswordValidator.
  if (/^\p{Nd}+$/u.test(normalized)) failed.add('numeric');
  if (isTooSimilar(normalized, ctx)) failed.add('similar');
  // NIST 800-63B: "aaaaaaaaaaaa", "abcabcabcabc", "123456789012", keyboard walks (password-patterns.ts).
  if (isRepetitive(normalized)) failed.add('repetitive');
  else if (isSequential(normalized)) failed.add('sequential');

  return PASSWORD_POLICY_REASONS.filter((r) => failed.has(r));
}

const REASON_MESSAGES: Record<PasswordPolicyReason, (o: { minLength?: number }) => string> = {
  'too-short': ({ minLength }) =>
    minLength === undefined ? 'This password is too short.' : `Password must be at least ${minLength} characters.`,
  'too-long': () => `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  common: () => 'This password is too common.',
  numeric: () => 'This password is entirely numeric.',
  similar: () => 'This password is too similar to the username, email address, display name or the name of the app.',
  'same-as-current': () => 'The new password must be different from the current one.',
  repetitive: () => 'This password repeats the same characters.',
  sequential: () => 'This password is a sequence of consecutive characters or keys.',
};

/** The readable sentence for each reason, in the order given. */
export function passwordPolicyMessages(
  reasons: readonly PasswordPolicyReason[],
  opts: { minLength?: number } = {},
): string[] {
  return reasons.map((r) => REASON_MESSAGES[r](opts));
}

/**
 * PASSWORD_POLICY with every reason and one message that names every problem, e.g.
 * "Password must be at least 12 characters. This password is too common."
 * Pass minLength to get the number into the too-short sentence.
 */
export function passwordPolicyError(
  reasons: readonly PasswordPolicyReason[],
  opts: { minLength?: number } = {},
): AppError {
  const unique = PASSWORD_POLICY_REASONS.filter((r) => reasons.includes(r));
  const message = unique.length > 0 ? passwordPolicyMessages(unique, opts).join(' ') : 'This password is not allowed.';
  return new AppError('PASSWORD_POLICY', message, { reasons: unique });
}

// ---------------------------------------------------------------------------
// Similarity (standards.md row 7: reject the username, the display name, the app
// name and their derivatives, so a guesser who knows the account cannot start with
// "<username>2024!").

/**
 * True when the password is too close to one of the context values. Two tests per
 * attribute part, on case-folded strings:
 * 1. Django's SequenceMatcher.quick_ratio ≥ MAX_SIMILARITY (skipped, as in Django, when
 *    the password is ten times longer than a short part);
 * 2. containment: a part of ≥ MIN_CONTAINED_LENGTH code points appears in the password,
 *    also after dropping separators from both ("a.l.i.c.e" contains "alice").
 * The app name is checked by containment only: it is the same for everyone, so a
 * letter-count ratio against it would refuse unrelated passwords at random.
 */
export function isTooSimilar(password: string, ctx: PasswordPolicyContext): boolean {
  const pw = foldKey(password);
  const pwCompact = compact(pw);
  if (APP_NAME_FORMS.some((name) => contains(pw, pwCompact, name))) return true;

  for (const part of attributeParts(ctx)) {
    if (!exceedsMaximumLengthRatio(pw, part) && quickRatio(pw, part) >= MAX_SIMILARITY) return true;
    if (codePointLength(part) >= MIN_CONTAINED_LENGTH && contains(pw, pwCompact, part)) return true;
  }
  return false;
}

/** Case-folded attribute values, whole and split into words, without duplicates. */
function attributeParts(ctx: PasswordPolicyContext): Set<string> {
  const parts = new Set<string>();
  const addWithWords = (raw: string | null | undefined): void => {
    if (typeof raw !== 'string') return;
    const value = foldKey(raw).trim();
    if (!value) return;
    parts.add(value);
    // Django splits on \W+; the letters-only split also cuts "alice99" and "bob_smith".
    for (const word of value.split(/[^\p{L}\p{N}]+/u)) if (word) parts.add(word);
    for (const word of value.split(/\P{L}+/u)) if (word) parts.add(word);
  };

  addWithWords(ctx.username);
  addWithWords(ctx.displayName);
  if (typeof ctx.email === 'string' && ctx.email.trim()) {
    // Whole address (Django) and its words, then the local part on its own.
    addWithWords(ctx.email);
    const at = ctx.email.lastIndexOf('@');
    if (at > 0) addWithWords(ctx.email.slice(0, at));
  }
  return parts;
}

/** Letters and digits only: separators are free for a guesser to insert. */
function compact(value: string): string {
  return value.replace(/[^\p{L}\p{N}]+/gu, '');
}

function contains(pw: string, pwCompact: string, part: string): boolean {
  if (pw.includes(part)) return true;
  const partCompact = compact(part);
  return codePointLength(partCompact) >= MIN_CONTAINED_LENGTH && pwCompact.includes(partCompact);
}

/**
 * Django's exceeds_maximum_length_ratio: a long password cannot reach the ratio against
 * a short value, so the ratio test is skipped (containment still applies).
 */
function exceedsMaximumLengthRatio(pw: string, value: string): boolean {
  const pwLen = codePointLength(pw);
  const valueLen = codePointLength(value);
  return pwLen >= 10 * valueLen && valueLen < (MAX_SIMILARITY / 2) * pwLen;
}

/**
 * Python's difflib.SequenceMatcher(a, b).quick_ratio(): 2 × (shared characters, counted
 * as multisets) / (len(a) + len(b)). An upper bound on ratio(), as Django uses it.
 */
export function quickRatio(a: string, b: string): number {
  const aChars = [...a];
  const bChars = [...b];
  const total = aChars.length + bChars.length;
  if (total === 0) return 1;
  const avail = new Map<string, number>();
  for (const ch of bChars) avail.set(ch, (avail.get(ch) ?? 0) + 1);
  let matches = 0;
  for (const ch of aChars) {
    const n = avail.get(ch) ?? 0;
    if (n > 0) {
      avail.set(ch, n - 1);
      matches++;
    }
  }
  return (2 * matches) / total;
}
