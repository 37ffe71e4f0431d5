/** The closed set of error codes a Reply can carry. */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'INVALID_CREDENTIALS',
  'ACCOUNT_DISABLED',
  'THROTTLED',
  'NOT_AUTHENTICATED',
  'SESSION_INVALID',
  'SESSION_LOCKED',
  'PERMISSION_DENIED',
  'REAUTH_REQUIRED',
  'PASSWORD_CHANGE_REQUIRED',
  'NOT_FOUND',
  'CONFLICT',
  'PASSWORD_POLICY',
  'SETUP_ALREADY_DONE',
  'KEYCHAIN_UNAVAILABLE',
  'NOT_REMEMBERED',
  'TOO_MANY_PROFILES',
  'PAYLOAD_TOO_LARGE',
  /** The session store (e.g. a shared Redis) cannot be reached right now; retry later. */
  'STORE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const PASSWORD_POLICY_REASONS = [
  'too-short',
  'too-long',
  'common',
  'numeric',
  'similar',
  'same-as-current',
  /** One character or a short group repeated ('aaaaaaaaaaaa', 'abcabcabcabc'). */
  'repetitive',
  /** A run of consecutive characters or a keyboard walk ('abcdefghijkl', '123456789012', 'qwertyuiop'). */
  'sequential',
] as const;

export type PasswordPolicyReason = (typeof PASSWORD_POLICY_REASONS)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Field name -> what is wrong with it. */
  fields?: Record<string, string>;
  reasons?: PasswordPolicyReason[];
  retryAfterMs?: number;
}

export type Reply<T = unknown> = { ok: true; data: T } | { ok: false; error: ErrorBody };
