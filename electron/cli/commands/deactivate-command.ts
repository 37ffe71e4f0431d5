import { EXIT } from '../cli-errors';
import { hasRememberedSignIn, plural, quote, reportRememberedRevoked, sessionsEnded, userCommand } from './command';

/**
 * Turns a user's sign-in off (Django's is_active = False) without deleting anything:
 * their sessions end and their remembered sign-ins are revoked in the same transaction
 * as the flag, so a running app refuses them on its next call (reason `deactivated`).
 * The last active superuser cannot be deactivated: the app must keep an administrator.
 */
export const deactivateCommand = userCommand({
  name: 'deactivate',
  summary: 'Stop a user from signing in; ends their sessions and remembered sign-ins.',
  synopsis: 'deactivate USER [--data-dir DIR]',
  description: [
    'Deactivates USER (a username, or an email address): they can no longer sign in,',
    'every session of theirs ends (a running app signs them out on its next call) and',
    'remembered sign-ins on this computer are revoked. Nothing is deleted: `manage',
    'activate USER` lets them sign in again. The last active superuser cannot be',
    'deactivated. Recorded in the audit log.',
  ],
  endsSessions: 'nothing was changed.',
  async run(ctx, user, io) {
    if (!user.isActive) {
      io.stdout.write(`${quote(user.username)} is already inactive; nothing to do.\n`);
      return EXIT.ok;
    }
    const hadRemembered = hasRememberedSignIn(ctx, user.username);
    await ctx.accounts.updateUser(user.id, { isActive: false }, null);
    io.stdout.write(`Deactivated ${quote(user.username)}; ended ${plural(sessionsEnded(ctx), 'session')}.\n`);
    if (hadRemembered) reportRememberedRevoked(ctx, io);
    return EXIT.ok;
  },
});

/** Lets a deactivated user sign in again (their old sessions stay ended). */
export const activateCommand = userCommand({
  name: 'activate',
  summary: 'Let a deactivated user sign in again.',
  synopsis: 'activate USER [--data-dir DIR]',
  description: [
    'Activates USER (a username, or an email address) again: they can sign in with',
    'their password. Sessions and remembered sign-ins ended by the deactivation stay',
    'ended. Recorded in the audit log.',
  ],
  async run(ctx, user, io) {
    if (user.isActive) {
      io.stdout.write(`${quote(user.username)} is already active; nothing to do.\n`);
      return EXIT.ok;
    }
    await ctx.accounts.updateUser(user.id, { isActive: true }, null);
    io.stdout.write(`Activated ${quote(user.username)}; they can sign in again.\n`);
    return EXIT.ok;
  },
});
