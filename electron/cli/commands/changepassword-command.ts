import { userThrottleKey } from '../../core/auth/login-service';
import { manageCommand, shellArg } from '../data-dir';
import { CliError, EXIT } from '../cli-errors';
import { readPasswordPair } from '../password-prompt';
import {
  hasRememberedSignIn,
  plural,
  quote,
  reportRememberedRevoked,
  requirePolicy,
  requireSamePassword,
  sessionsEnded,
  userCommand,
} from './command';

/**
 * Django's changepassword, plus what a password change means here (DESIGN "Sessions"):
 * every session of the user ends and their remembered devices are revoked, so whoever
 * knew the old password (or holds an old "stay signed in" token) is out. The offline
 * recovery path for a locked-out administrator.
 */
export const changePasswordCommand = userCommand({
  name: 'changepassword',
  summary: "Set a user's password; ends their sessions and remembered sign-ins.",
  synopsis: 'changepassword USER [--data-dir DIR]',
  description: [
    'Sets a new password for USER (a username, or an email address).',
    'Every session of that user ends (a running app reports them as revoked),',
    'remembered sign-ins on this computer are revoked, and "must change password"',
    'is cleared. The password is asked twice at a hidden prompt; when standard input',
    'is not a terminal, its first line is the password and its second the confirmation.',
    'Passwords are never accepted as command-line arguments.',
  ],
  endsSessions: 'the password was not changed.',
  async run(ctx, user, io) {
    const pair = await readPasswordPair(io.stdin, {
      output: io.stderr,
      first: `New password for ${user.username}: `,
      second: 'New password (again): ',
    });
    const password = requireSamePassword(pair, 'The password was not changed.');
    await requirePolicy(ctx, password, user);
    // Re-read: the app may have changed the user while the prompt was open.
    const current = ctx.users.findById(user.id);
    if (!current) throw new CliError(`${quote(user.username)} was deleted meanwhile; nothing was changed.`);
    const hadRemembered = hasRememberedSignIn(ctx, current.username);
    await ctx.accounts.setPassword(current, password, { mustChange: false, actor: null });

    io.stdout.write(`Password changed for ${quote(current.username)}; ended ${plural(sessionsEnded(ctx), 'session')}.\n`);
    if (hadRemembered) reportRememberedRevoked(ctx, io);
    if (ctx.settings.sessionEngine === 'memory') {
      io.stderr.write(
        "manage: note: sessionEngine is 'memory': a running app keeps its sessions in memory only; " +
          'restart it to end them.\n',
      );
    }
    if (ctx.throttle.status(userThrottleKey(current.id)).blockedUntil !== null) {
      io.stderr.write(`manage: note: sign-in for ${quote(current.username)} is throttled; run '${manageCommand(ctx.dataDir, 'unthrottle', shellArg(current.username))}' to clear it.\n`);
    }
    return EXIT.ok;
  },
});
