import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { APP_VERSION } from '../core/app-identity';
import type { CliIo } from './cli-context';
import { EXIT, UsageError, describeFailure } from './cli-errors';
import { changePasswordCommand } from './commands/changepassword-command';
import { checkCommand } from './commands/check-command';
import { clearSessionsCommand } from './commands/clearsessions-command';
import type { Command } from './commands/command';
import { createSuperuserCommand } from './commands/createsuperuser-command';
import { activateCommand, deactivateCommand } from './commands/deactivate-command';
import { setSuperuserCommand } from './commands/setsuperuser-command';
import { unthrottleCommand } from './commands/unthrottle-command';
import { usersCommand } from './commands/users-command';
import { defaultDataDir, resolveDataDir } from './data-dir';

export const COMMANDS: readonly Command[] = [
  createSuperuserCommand,
  changePasswordCommand,
  deactivateCommand,
  activateCommand,
  setSuperuserCommand,
  unthrottleCommand,
  usersCommand,
  clearSessionsCommand,
  checkCommand,
];

const COMMON_OPTIONS: ParseArgsOptionsConfig = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/**
 * Any option that looks like a password. Refused with an explanation rather than a
 * bare "unknown option", and its value is never echoed: a password typed on the
 * command line is already in the shell history, it must not also reach a log.
 */
const PASSWORD_OPTION = /^--?(pass(word)?|passwd|pw|secret)(=|$)/i;

export function generalUsage(io: Pick<CliIo, 'platform' | 'env' | 'homedir'>): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: manage <command> [options]',
    '',
    'Offline administration of the Local Accounts data folder (accounts.db).',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --data-dir DIR; the default is the folder the app uses:',
    `  ${defaultDataDir(io.platform, io.env, io.homedir)}`,
    "Run 'manage <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const rows: (readonly [string, string])[] = [
    ...command.optionHelp,
    ['--data-dir DIR', "the app's data folder (default: the app's own user-data folder)"],
    ['-h, --help', 'show this help'],
  ];
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: manage ${command.synopsis}`,
    '',
    ...command.description,
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    '',
  ].join('\n');
}

/** parseArgs' own messages, first line only, without echoing positional values. */
function usageFromParseError(e: unknown, command: string): UsageError {
  const code = (e as { code?: unknown }).code;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return new UsageError(`'${command}' takes no positional arguments.`, command);
  }
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  return new UsageError(first.replace(/\. To specify.*$/, '').replace(/\.$/, '') + '.', command);
}

function parseCommandLine(command: Command, args: string[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const end = args.indexOf('--');
  const flags = end < 0 ? args : args.slice(0, end);
  if (flags.some((a) => PASSWORD_OPTION.test(a))) {
    throw new UsageError(
      'passwords are never accepted as command-line arguments (other users can read them in the ' +
        'process list, and they stay in your shell history). Type it at the prompt, or pipe it on ' +
        'standard input: first line the password, second line the same again.',
      command.name,
    );
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: command.positionals.length > 0,
      strict: true,
    });
  } catch (e) {
    throw usageFromParseError(e, command.name);
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

/**
 * Runs one `manage` command line and answers its exit code. Never throws: every
 * failure becomes "manage: error: ..." lines on stderr (cli-errors.ts). Output goes
 * through `io` only, so tests and the entry point decide where it lands.
 */
export async function runManage(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (e: unknown): number => {
    const report = describeFailure(e, Boolean(io.env.MANAGE_DEBUG));
    io.stderr.write(report.lines.map((l) => `manage: ${l}\n`).join(''));
    if (e instanceof UsageError && e.command === null) io.stderr.write(`\n${generalUsage(io)}`);
    return report.exitCode;
  };
  try {
    const [name, ...rest] = argv;
    if (name === undefined) throw new UsageError('no command given.');
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const command = COMMANDS.find((c) => c.name === topic);
      if (topic !== undefined && !command) throw new UsageError(`unknown command ${JSON.stringify(topic)}.`);
      io.stdout.write(command ? commandHelp(command) : generalUsage(io));
      return EXIT.ok;
    }
    if (name === '--version') {
      io.stdout.write(`${APP_VERSION}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}.`);
    const { values, positionals } = parseCommandLine(command, rest);
    if (values.help === true) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    if (positionals.length !== command.positionals.length) {
      const n = command.positionals.length;
      const want = `${n === 1 ? 'one argument' : `${n} arguments`}, ${command.positionals.join(' ')}`;
      throw new UsageError(`'${command.name}' expects ${want} (got ${positionals.length}).`, command.name);
    }
    const flag = values['data-dir'];
    const dataDir = resolveDataDir(typeof flag === 'string' ? flag : undefined, io);
    return await command.run({ values, positionals, dataDir, io });
  } catch (e) {
    return fail(e);
  }
}
