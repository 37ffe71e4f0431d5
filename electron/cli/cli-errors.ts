import { DatabaseOpenError, describeSqliteError } from '../core/db/database';
import { AppError } from '../core/errors';
import { passwordPolicyMessages } from '../core/auth/password-policy';
import { SettingsError } from '../core/settings';
import type { PasswordPolicyReason } from '../../shared/errors';

/**
 * Exit codes of `manage` (sysexits-style where one fits):
 * 0 done; 1 the person asked for something that cannot be done (unknown user, bad
 * input, password policy, damaged database); 2 the command line itself is wrong;
 * 70 a bug (EX_SOFTWARE); 130 interrupted at a prompt (128 + SIGINT).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, software: 70, interrupted: 130 } as const;

/** The command line is wrong: unknown command or option, missing argument. Exit 2. */
export class UsageError extends Error {
  /** The command whose --help to point at, if known. */
  readonly command: string | null;
  constructor(message: string, command: string | null = null) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** A failure the person can act on, with optional detail lines. Exit 1 unless told otherwise. */
export class CliError extends Error {
  readonly details: readonly string[];
  readonly exitCode: number;
  constructor(message: string, details: readonly string[] = [], exitCode: number = EXIT.failure) {
    super(message);
    this.name = 'CliError';
    this.details = details;
    this.exitCode = exitCode;
  }
}

/** Ctrl-C or Ctrl-D at a password prompt. */
export class PromptCancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'PromptCancelledError';
  }
}

/** Option names as typed on the command line, for VALIDATION_ERROR fields. */
const FIELD_OPTIONS: Record<string, string> = {
  username: '--username',
  email: '--email',
  displayName: '--display-name',
  phone: '--phone',
};

/** SQLite failures that come from the environment (not from a bug): exit 1, not 70. */
const ENVIRONMENT_SQLITE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CORRUPT|NOTADB|CANTOPEN|PERM|AUTH)/;

export interface FailureReport {
  /** Lines for stderr, without the "manage: " prefix. */
  lines: string[];
  exitCode: number;
}

/**
 * Turns anything thrown by a command into lines for stderr and an exit code.
 * Never a stack trace and never SQLite's own text (it can quote SQL and schema):
 * a person mistyping a name must not be shown a crash. `debug` (MANAGE_DEBUG=1)
 * adds the stack of an unexpected error, for a developer.
 */
export function describeFailure(e: unknown, debug = false): FailureReport {
  if (e instanceof UsageError) {
    const help = e.command ? `manage ${e.command} --help` : 'manage --help';
    return { lines: [`error: ${e.message}`, `Run '${help}' for usage.`], exitCode: EXIT.usage };
  }
  if (e instanceof CliError) {
    return { lines: [`error: ${e.message}`, ...e.details.map((d) => `  ${d}`)], exitCode: e.exitCode };
  }
  if (e instanceof PromptCancelledError) return { lines: ['cancelled; nothing was changed.'], exitCode: EXIT.interrupted };
  if (e instanceof AppError) return { lines: describeAppError(e), exitCode: EXIT.failure };
  if (e instanceof SettingsError || e instanceof DatabaseOpenError) {
    return { lines: [`error: ${e.message}`], exitCode: EXIT.failure };
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    const text = describeSqliteError(e);
    if (ENVIRONMENT_SQLITE.test(code)) return { lines: [`error: database failure: ${text}.`], exitCode: EXIT.failure };
    return { lines: [`error: unexpected database failure: ${text}.`, ...debugLines(e, debug)], exitCode: EXIT.software };
  }
  const name = e instanceof Error ? e.name : typeof e;
  return {
    lines: [`error: unexpected failure (${name}). Set MANAGE_DEBUG=1 for details.`, ...debugLines(e, debug)],
    exitCode: EXIT.software,
  };
}

function describeAppError(e: AppError): string[] {
  if (e.code === 'PASSWORD_POLICY' && e.reasons && e.reasons.length > 0) {
    return describeFailure(passwordRefused(e.reasons)).lines;
  }
  if (e.fields && Object.keys(e.fields).length > 0) {
    const lines = Object.entries(e.fields).map(([field, why]) => `  ${FIELD_OPTIONS[field] ?? field}: ${why}`);
    return [`error: ${e.message}`, ...lines];
  }
  return [`error: ${e.message}`];
}

/**
 * Every reason a password was refused, one per line: the readable sentence, then the
 * reason code (for scripts). `minLength` puts the number into the too-short sentence.
 */
export function passwordRefused(reasons: readonly PasswordPolicyReason[], minLength?: number): CliError {
  const messages = passwordPolicyMessages(reasons, minLength === undefined ? {} : { minLength });
  return new CliError(
    'the password was refused:',
    reasons.map((r, i) => `- ${messages[i]} (${r})`),
  );
}

function debugLines(e: unknown, debug: boolean): string[] {
  if (!debug) return [];
  return String((e instanceof Error && e.stack) || e).split('\n');
}
