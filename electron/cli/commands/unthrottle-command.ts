import { userThrottleKey } from '../../core/auth/login-service';
import { EXIT } from '../cli-errors';
import { VIA_MANAGE } from '../cli-context';
import { plural, quote, userCommand } from './command';

/** Seconds or minutes, rounded up, for "blocked for another ...". */
function wait(ms: number): string {
  return ms >= 60_000 ? plural(Math.ceil(ms / 60_000), 'minute') : plural(Math.max(1, Math.ceil(ms / 1000)), 'second');
}

/**
 * Clears the login throttle of one user (key 'user:<id>'), hourly cap included:
 * the way back in for an administrator who locked themselves out (DESIGN
 * "Recovery"). Whoever can run this already has the data folder, so it opens
 * nothing an attacker did not have; it is audited all the same.
 */
export const unthrottleCommand = userCommand({
  name: 'unthrottle',
  summary: "Clear a user's failed sign-in count and back-off.",
  synopsis: 'unthrottle USER [--data-dir DIR]',
  description: [
    'Clears the sign-in throttle of USER (a username, or an email address):',
    'the consecutive failures, the back-off and the hourly cap. Recorded in the audit log.',
  ],
  async run(ctx, user, io) {
    const key = userThrottleKey(user.id);
    const before = ctx.throttle.status(key);
    ctx.throttle.reset(key);
    ctx.audit.record({
      type: 'throttle.reset',
      userId: user.id,
      username: user.username,
      detail: { consecutive: before.consecutive, failuresLastHour: before.failuresLastHour, ...VIA_MANAGE },
    });
    if (before.blockedUntil !== null) {
      const left = wait(before.blockedUntil - ctx.clock.now());
      io.stdout.write(`Throttle cleared for ${quote(user.username)} (it was blocked for another ${left}).\n`);
    } else if (before.consecutive > 0 || before.failuresLastHour > 0) {
      io.stdout.write(
        `Throttle cleared for ${quote(user.username)} (${plural(before.failuresLastHour, 'failed attempt')} in the last hour; it was not blocked).\n`,
      );
    } else {
      io.stdout.write(`${quote(user.username)} was not throttled; nothing to clear.\n`);
    }
    return EXIT.ok;
  },
});
