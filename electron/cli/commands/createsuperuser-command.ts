import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE } from '../../core/db/database';
import type { Settings } from '../../core/settings';
import { validateProfileFields } from '../../core/users/user-validation';
import type { CliContext } from '../cli-context';
import { CliError, EXIT, UsageError } from '../cli-errors';
import { manageCommand, requireUsableDataDir, shellArg } from '../data-dir';
import { readPasswordPair } from '../password-prompt';
import { loadCliSettings, quote, requirePasswordRules, requireSamePassword, stringOption, withCliContext, type Command } from './command';

/** Django's createsuperuser: an active staff superuser, password from a prompt or stdin, never argv. */
export const createSuperuserCommand: Command = {
  name: 'createsuperuser',
  summary: 'Create an active superuser (staff) account.',
  synopsis: 'createsuperuser --username NAME [--email EMAIL] [--display-name NAME] [--data-dir DIR]',
  description: [
    'Creates an active superuser who can sign in and open the admin console.',
    'The password is asked twice at a hidden prompt. When standard input is not a',
    'terminal, its first line is the password and its second line the confirmation.',
    'Passwords are never accepted as command-line arguments.',
    'Creates the data folder and accounts.db when they do not exist yet.',
  ],
  options: {
    username: { type: 'string' },
    email: { type: 'string' },
    'display-name': { type: 'string' },
  },
  optionHelp: [
    ['--username NAME', 'required: letters, digits and . + - _ (no "@")'],
    ['--email EMAIL', 'optional; can also be used to sign in'],
    ['--display-name NAME', 'optional; shown in the app'],
  ],
  positionals: [],

  async run({ values, dataDir, io }) {
    const username = stringOption(values, 'username');
    if (username === undefined) throw new UsageError('--username is required.', 'createsuperuser');
    // Pure checks before the data folder is touched: a typo creates nothing.
    const fields = validateProfileFields({
      username,
      email: stringOption(values, 'email') ?? null,
      displayName: stringOption(values, 'display-name') ?? '',
    });
    const name = fields.username as string;
    const requireNameFree = (ctx: CliContext): void => {
      if (ctx.users.findByIdentifier(name)) {
        throw new CliError(`A user named ${quote(name)} already exists. No user was created.`, [
          `To set its password: ${manageCommand(dataDir, 'changepassword', shellArg(name))}`,
        ]);
      }
      // A look-alike of an existing name (UTS #39 skeleton): CONFLICT, before the prompt too.
      ctx.users.assertUsernameAvailable(name);
      if (fields.email && ctx.users.findByIdentifier(fields.email)) {
        throw new CliError(`The email ${quote(fields.email)} is already used by another account. No user was created.`);
      }
    };
    const askPassword = async (settings: Settings): Promise<string> => {
      const pair = await readPasswordPair(io.stdin, { output: io.stderr, first: 'Password: ', second: 'Password (again): ' });
      const password = requireSamePassword(pair, 'No user was created.');
      requirePasswordRules(settings, password, fields);
      return password;
    };
    const create = async (ctx: CliContext, password: string): Promise<number> => {
      const user = await ctx.accounts.createUser(
        {
          username: name,
          email: fields.email ?? null,
          displayName: fields.displayName ?? '',
          password,
          isActive: true,
          isStaff: true,
          isSuperuser: true,
          mustChangePassword: false,
        },
        null,
      );
      io.stdout.write(`Superuser ${quote(user.username)} created (id ${user.id}) in ${dataDir}.\n`);
      return EXIT.ok;
    };
    if (existsSync(join(dataDir, DB_FILE))) {
      return withCliContext(dataDir, { create: false }, async (ctx) => {
        // Before the prompt: nobody should type a password twice to learn the name is taken.
        requireNameFree(ctx);
        return create(ctx, await askPassword(ctx.settings));
      });
    }
    // No database yet: the password is read and checked first, so a refused or
    // mismatched one (or input that is not UTF-8) creates no folder and no empty
    // accounts.db. No name can be taken in a database that does not exist.
    requireUsableDataDir(dataDir, false);
    const password = await askPassword(loadCliSettings(dataDir));
    return withCliContext(dataDir, { create: true }, async (ctx) => {
      requireNameFree(ctx); // another process may have created it meanwhile
      return create(ctx, password);
    });
  },
};
