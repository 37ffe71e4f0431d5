import type { ErrorBody, ErrorCode, PasswordPolicyReason } from '../../shared/errors';

/**
 * A failure the caller can act on. Its message is written for the person using the
 * app and is safe to send to the renderer; anything else thrown inside the core is
 * reported as INTERNAL with a generic message (details go to the log only).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly reasons?: PasswordPolicyReason[];
  readonly retryAfterMs?: number;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: Record<string, string>; reasons?: PasswordPolicyReason[]; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (extra.fields) this.fields = extra.fields;
    if (extra.reasons) this.reasons = extra.reasons;
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.fields) body.fields = this.fields;
    if (this.reasons) body.reasons = this.reasons;
    if (this.retryAfterMs !== undefined) body.retryAfterMs = this.retryAfterMs;
    return body;
  }
}

/** Field-level input errors (which field, why). */
export function validationError(fields: Record<string, string>, message = 'Some fields are not valid.'): AppError {
  return new AppError('VALIDATION_ERROR', message, { fields });
}
