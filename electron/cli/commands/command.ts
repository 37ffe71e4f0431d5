import type { ParseArgsOptionsConfig } from 'node:util';
import { AppError } from '../../core/errors';
import type { UserRecord } from '../../core/users/user-record';
import { checkPasswordRules } from '../../core/accounts/account-service';
import { BUILT_IN_AUTH_BACKENDS, loadSettings, requireUsableSettings, type Settings } from '../../core/settings';
import { openCliContext, type CliContext, type CliIo } from '../cli-context';
import { CliError, passwordRefused } from '../cli-errors';
import { manageCommand, requireUsableDataDir } from '../data-dir';
import type { PasswordPair } from '../password-prompt';

/** What a command gets once its command line is parsed and checked. */
export interface CommandInput {
  values: Readonly<Record<string, string | boolean | undefined>>;
  positionals: readonly string[];
  /** Absolute; --data-dir or the app's own user-data folder. */
  dataDir: string;
  io: CliIo;
}

/**
 * One `manage` subcommand. The dispatcher adds --data-dir and --help to `options`,
 * requires exactly `positionals.length` positional arguments, and turns whatever
 * `run` throws into a one-line message and an exit code (cli-errors.ts).
 */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The usage line after "manage ". */
  synopsis: string;
  /** Paragraph lines for --help. */
  description: readonly string[];
  options: ParseArgsOptionsConfig;
  /** [flag, explanation] rows for --help (without --data-dir and --help). */
  optionHelp: readonly (readonly [string, string])[];
  positionals: readonly string[];
  run(input: CommandInput): Promise<number>;
}

/** A command on one existing user: `NAME USER [--data-dir DIR]`, and options of its own if any. */
export interface UserCommandSpec
  extends Pick<Command, 'name' | 'summary' | 'synopsis' | 'description'>, Partial<Pick<Command, 'options' | 'optionHelp'>> {
  /**
   * For a command that must end sessions: what to say was left undone when the
   * sessions are out of reach (checked before USER is looked up; see requireReachableSessions).
   */
  endsSessions?: string;
  run(ctx: CliContext, user: UserRecord, io: CliIo, values: CommandInput['values']): Promise<number>;
}

/** Builds a Command from a UserCommandSpec: opens the data folder, finds USER, runs. */
export function userCommand(spec: UserCommandSpec): Command {
  const { endsSessions, run, options, optionHelp, ...text } = spec;
  return {
    ...text,
    options: options ?? {},
    optionHelp: optionHelp ?? [],
    positionals: ['USER'],
    run: ({ values, positionals, dataDir, io }) =>
      withCliContext(dataDir, { create: false }, async (ctx) => {
        const user = requireUser(ctx, positionals[0] as string);
        if (endsSessions !== undefined) await requireReachableSessions(ctx, user.id, endsSessions);
        try {
          const code = await run(ctx, user, io, values);
          await flushRedisSessions(ctx);
          return code;
        } catch (e) {
          throw withLastSuperuserHint(e, ctx.dataDir);
        }
      }),
  };
}

/**
 * The service refuses to demote or deactivate the last active superuser (CONFLICT,
 * "make another user a superuser first"); the CLI says how to do that, here.
 */
function withLastSuperuserHint(e: unknown, dataDir: string): unknown {
  if (!(e instanceof AppError) || e.code !== 'CONFLICT' || !/last active superuser/.test(e.message)) return e;
  return new CliError(`${e.message} Nothing was changed.`, [
    `To make another user a superuser: ${manageCommand(dataDir, 'setsuperuser', 'USER')}`,
  ]);
}

/** A value typed by a person, shown back safely (quotes, control characters escaped). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A string option's value (parseArgs typed them loosely for us). */
export function stringOption(values: CommandInput['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The user a positional argument names (username, or email when it contains "@"). */
export function requireUser(ctx: CliContext, identifier: string): UserRecord {
  const user = identifier === '' ? null : ctx.users.findByIdentifier(identifier);
  if (!user) {
    throw new CliError(`No user ${quote(identifier)} in ${ctx.dataDir}.`, [`To list them: ${manageCommand(ctx.dataDir, 'users')}`]);
  }
  return user;
}

/** Both copies of a new password must agree before anything is changed. */
export function requireSamePassword(pair: PasswordPair, nothingDone: string): string {
  if (pair.password !== pair.confirmation) throw new CliError(`The two passwords do not match. ${nothingDone}`);
  return pair.password;
}

/**
 * Checks the policy first, to report every failing rule with the configured minimum
 * length in the sentence (the service would report the same reasons).
 */
export async function requirePolicy(
  ctx: CliContext,
  password: string,
  context: { username?: string; email?: string | null; displayName?: string | null },
): Promise<void> {
  try {
    await ctx.accounts.checkNewPassword(password, context);
  } catch (e) {
    if (e instanceof AppError && e.code === 'PASSWORD_POLICY' && e.reasons) {
      throw passwordRefused(e.reasons, ctx.settings.passwordMinLength);
    }
    throw e;
  }
}

/**
 * The same rules as requirePolicy, without a database: createsuperuser checks the
 * password before it creates the data folder, so a refused one leaves nothing behind.
 */
export function requirePasswordRules(
  settings: Settings,
  password: string,
  context: { username?: string; email?: string | null; displayName?: string | null },
): void {
  try {
    checkPasswordRules(password, context, settings.passwordMinLength);
  } catch (e) {
    if (e instanceof AppError && e.code === 'PASSWORD_POLICY' && e.reasons) {
      throw passwordRefused(e.reasons, settings.passwordMinLength);
    }
    throw e;
  }
}

/**
 * Runs `fn` on the domain for `dataDir` and closes the database afterwards. Settings
 * come first (a broken settings.json is reported before anything is opened); every
 * command but createsuperuser needs an existing database (see requireExistingDatabase).
 */
export async function withCliContext<T>(
  dataDir: string,
  options: { create: boolean },
  fn: (ctx: CliContext) => Promise<T>,
): Promise<T> {
  requireUsableDataDir(dataDir, !options.create);
  const settings = loadCliSettings(dataDir);
  const ctx = openCliContext(dataDir, { settings });
  try {
    return await fn(ctx);
  } finally {
    ctx.close();
  }
}

/**
 * settings.json as the app reads it, refused when the app would refuse to start with it
 * (the same check, requireUsableSettings): `manage` has the built-in backends only.
 */
export function loadCliSettings(dataDir: string): Settings {
  const settings = loadSettings(dataDir);
  requireUsableSettings(settings, BUILT_IN_AUTH_BACKENDS);
  return settings;
}

/**
 * For a command that must end sessions with the redis engine: reads the user's
 * sessions from Redis first, so an unreachable Redis refuses the command before
 * anything is changed (nothing half-done).
 */
export async function requireReachableSessions(ctx: CliContext, userId: number, nothingDone: string): Promise<void> {
  if (!ctx.redis) return;
  try {
    await ctx.redis.prepare(userId);
  } catch (e) {
    throw new CliError(`The session server (Redis) cannot be reached (${redisProblem(e)}): ${nothingDone}`);
  }
}

/** Deletes from Redis the sessions the command ended (after its database transaction committed). */
export async function flushRedisSessions(ctx: CliContext): Promise<void> {
  if (!ctx.redis) return;
  try {
    await ctx.redis.flush();
  } catch (e) {
    throw new CliError(
      `The change is saved, but the user's sessions could not be ended in Redis (${redisProblem(e)}).`,
      ['Run the command again once Redis answers, or end them with redis-cli (see the README).'],
    );
  }
}

/** Sessions ended by this command, whatever the engine. */
export function sessionsEnded(ctx: CliContext): number {
  return (ctx.redis ?? ctx.ender).ended;
}

/** Never the message text: it may quote the URL, which may hold a password. */
function redisProblem(e: unknown): string {
  const msg = e instanceof Error ? e.message : '';
  if (/timed out/i.test(msg)) return 'not answering';
  if (/NOAUTH|WRONGPASS|NOPERM/i.test(msg)) return 'credentials or permissions refused';
  return 'connection failed';
}

/** Whether `username` has a remembered sign-in on this computer (read before revoking it). */
export function hasRememberedSignIn(ctx: CliContext, username: string): boolean {
  return ctx.remembered.profiles().some((p) => p.username === username);
}

/**
 * After a remembered sign-in was revoked: says so, and warns when the keychain could
 * not be reached (the database rows are what count: a token left there matches no row).
 */
export function reportRememberedRevoked(ctx: CliContext, io: CliIo): void {
  io.stdout.write('Revoked the remembered sign-in on this computer.\n');
  const keychain = ctx.keychain.current;
  if (!keychain.available) {
    io.stderr.write(
      `manage: note: the OS keychain could not be reached: ${keychain.reason ?? 'unknown reason.'} ` +
        'The remembered sign-in is revoked in the database all the same; a token left there no longer works.\n',
    );
  }
}

