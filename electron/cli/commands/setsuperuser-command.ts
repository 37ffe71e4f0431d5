import { EXIT } from '../cli-errors';
import { manageCommand, shellArg } from '../data-dir';
import { quote, userCommand } from './command';

/**
 * Makes an existing user a superuser (and staff, so the admin console opens for them),
 * or with --revoke takes superuser status away. The way out of "this is the last
 * active superuser: make another user a superuser first" when the app's admin console
 * is out of reach. Through AccountService like every USER command: the same audit
 * record as the app, and the same guard, so the last active superuser cannot be revoked.
 */
export const setSuperuserCommand = userCommand({
  name: 'setsuperuser',
  summary: 'Make a user a superuser (staff), or take it away with --revoke.',
  synopsis: 'setsuperuser USER [--revoke] [--data-dir DIR]',
  description: [
    'Makes USER (a username, or an email address) a superuser: every permission, and',
    'staff status so the admin console opens for them. With --revoke, USER stops being',
    'a superuser (staff status is kept; change it in the admin console). The last active',
    'superuser cannot be revoked. Recorded in the audit log.',
  ],
  options: { revoke: { type: 'boolean' } },
  optionHelp: [['--revoke', 'take superuser status away instead of giving it']],
  async run(ctx, user, io, values) {
    const name = quote(user.username);
    if (values.revoke === true) {
      if (!user.isSuperuser) {
        io.stdout.write(`${name} is not a superuser; nothing to do.\n`);
        return EXIT.ok;
      }
      await ctx.accounts.updateUser(user.id, { isSuperuser: false }, null);
      io.stdout.write(`${name} is no longer a superuser (still staff).\n`);
      return EXIT.ok;
    }
    if (user.isSuperuser && user.isStaff) {
      io.stdout.write(`${name} is already a superuser; nothing to do.\n`);
      return EXIT.ok;
    }
    await ctx.accounts.updateUser(user.id, { isSuperuser: true, isStaff: true }, null);
    io.stdout.write(`${name} is now a superuser (staff).\n`);
    if (!user.isActive) {
      const activate = manageCommand(ctx.dataDir, 'activate', shellArg(user.username));
      io.stderr.write(`manage: note: ${name} is inactive and cannot sign in until activated: ${activate}\n`);
    }
    return EXIT.ok;
  },
});
