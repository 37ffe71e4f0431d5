import { useTranslation } from 'react-i18next';
import type { ErrorBody } from '../../../shared/errors';

/** A loosely typed t() over the admin namespace ('errors:CODE' and 'auth:reasons.x' reach the others). */
export type Tr = (key: string, options?: Record<string, unknown>) => string;

export function useTr(): Tr {
  const { t } = useTranslation('admin');
  return t as unknown as Tr;
}

/**
 * The core's English refusals, as keys of the admin namespace, so a refusal reads in the
 * profile's language. A message not listed falls back to the error code's words.
 */
const KNOWN_MESSAGES: readonly [RegExp, string][] = [
  [/last active superuser/i, 'refusal.lastSuperuser'],
  [/your own account/i, 'refusal.ownAccount'],
  [/^Enter a username\./, 'field.usernameEmpty'],
  [/^Use at most (\d+) characters\./, 'field.tooLong'],
  [/cannot contain "@"/, 'field.usernameAt'],
  [/^Use only letters, digits/, 'field.usernameChars'],
  [/valid email address/, 'field.emailInvalid'],
  [/5 to 20 digits/, 'field.phoneInvalid'],
  [/control characters/, 'field.control'],
  [/^Enter a group name\./, 'field.groupEmpty'],
  [/^Unknown permission/, 'field.unknownPermission'],
  [/username is already taken/i, 'field.usernameTaken'],
  [/email is already used/i, 'field.emailTaken'],
  [/phone number is already used/i, 'field.phoneTaken'],
  [/^This name is already taken\./, 'field.groupTaken'],
  [/^Unknown group/i, 'field.unknownGroup'],
];

function known(t: Tr, message: string): string | null {
  for (const [re, key] of KNOWN_MESSAGES) {
    const m = re.exec(message);
    if (m) return t(key, { max: m[1] });
  }
  return null;
}

/** Words for one field's problem. */
export function fieldWords(t: Tr, message: string): string {
  return known(t, message) ?? message;
}

/** Every field's problem in words; password policy reasons land on `password`. */
export function fieldErrors(
  t: Tr,
  error: ErrorBody,
  policy: { minLength: number; maxLength: number } = { minLength: 12, maxLength: 4096 },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fields ?? {})) out[field] = fieldWords(t, message);
  if (error.code === 'PASSWORD_POLICY' && error.reasons?.length) {
    out.password = error.reasons.map((r) => t(`auth:reasons.${r}`, { min: policy.minLength, max: policy.maxLength })).join(' ');
  }
  return out;
}

/** One sentence for the whole error (the dialog-level message). */
export function errorWords(t: Tr, error: ErrorBody): string {
  if (error.code === 'THROTTLED' && error.retryAfterMs !== undefined) {
    return t('throttled', { seconds: Math.max(1, Math.ceil(error.retryAfterMs / 1000)) });
  }
  if (error.code === 'CONFLICT' || error.code === 'NOT_FOUND') {
    const words = known(t, error.message);
    if (words !== null) return words;
  }
  return t(`errors:${error.code}`);
}
