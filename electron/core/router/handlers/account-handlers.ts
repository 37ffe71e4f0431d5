import { MAX_SESSION_DATA_BYTES } from '../../../../shared/contract';
import type { JsonValue } from '../../../../shared/dto';
import { AppError } from '../../errors';
import type { Services } from '../../services';
import { toSessionInfo, type LiveSession } from '../../sessions/live-session';
import { authed, type HandlerMap } from '../handler-types';

type AccountChannels =
  | 'session:data:get'
  | 'session:data:set'
  | 'session:data:delete'
  | 'session:data:clear'
  | 'account:update'
  | 'account:change-password'
  | 'account:sessions'
  | 'account:revoke-session'
  | 'prefs:get'
  | 'prefs:set';

const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

export function accountHandlers(s: Services): Pick<HandlerMap, AccountChannels> {
  /**
   * Shows `next` as the session's data only once the store took it: a write the
   * database refused (disk full, locked) must not live on in memory as if it were saved.
   */
  const commitData = (session: LiveSession, next: Record<string, JsonValue>): void => {
    const previous = session.data;
    session.data = next;
    try {
      s.sessions.saveData(session);
    } catch (e) {
      session.data = previous;
      throw e;
    }
  };

  return {
    // Django's request.session: a missing key is null; reads never write.
    'session:data:get': authed(({ session }, req) => (has(session.data, req.key) ? (session.data[req.key] as JsonValue) : null)),

    'session:data:set': authed(({ session }, req) => {
      const next: Record<string, JsonValue> = { ...session.data };
      Object.defineProperty(next, req.key, { value: req.value as JsonValue, enumerable: true, writable: true, configurable: true });
      const bytes = Buffer.byteLength(JSON.stringify(next), 'utf8');
      if (bytes > MAX_SESSION_DATA_BYTES) {
        throw new AppError('PAYLOAD_TOO_LARGE', `Session data would be ${Math.ceil(bytes / 1024)} KiB; the limit is 64 KiB.`);
      }
      commitData(session, next);
      return {};
    }),

    'session:data:delete': authed(({ session }, req) => {
      if (has(session.data, req.key)) {
        const next = { ...session.data };
        delete next[req.key];
        commitData(session, next);
      }
      return {};
    }),

    'session:data:clear': authed(({ session }) => {
      commitData(session, {});
      return {};
    }),

    'account:update': authed(({ principal }, req) => {
      const patch = {
        ...(req.displayName !== undefined && { displayName: req.displayName }),
        ...(req.email !== undefined && { email: req.email }),
        ...(req.phone !== undefined && { phone: req.phone }),
      };
      const user = s.users.update(principal.user.id, patch);
      s.audit.record({ type: 'user.updated', userId: user.id, username: user.username, detail: { by: user.id, fields: Object.keys(patch) } });
      const fresh = s.directory.get(user.id);
      if (!fresh) throw new AppError('SESSION_INVALID', 'Your session has ended. Sign in again.');
      return s.presenter.user(fresh);
    }),

    // Current password first (counts toward the throttle), then the policy, then the
    // other sessions end and this one continues under a new ID (standards #47).
    'account:change-password': authed(async ({ session, principal }, req) => {
      await s.login.confirmPassword(principal.user, req.currentPassword);
      await s.accounts.setPassword(principal.user, req.newPassword, {
        mustChange: false,
        actor: principal.user,
        keep: session,
        checkCurrent: true,
      });
      const next = s.sessions.rotate(session, s.clock.now());
      const fresh = s.directory.get(principal.user.id);
      if (!fresh) throw new AppError('SESSION_INVALID', 'Your session has ended. Sign in again.');
      return s.presenter.loginResult(next, fresh, false);
    }),

    'account:sessions': authed(({ session, principal }) => {
      const items = s.sessions
        .ofUser(principal.user.id)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((x) => toSessionInfo(x, s.settings, session.hash));
      return { items, total: items.length };
    }),

    // Own sessions only: another user's handle answers NOT_FOUND, like a missing one.
    'account:revoke-session': authed(({ principal }, req) => {
      const target = s.sessions.byHandle(req.handle);
      if (!target || target.userId !== principal.user.id) throw new AppError('NOT_FOUND', 'That session does not exist.');
      s.sessions.end(target, 'revoked');
      return {};
    }),

    'prefs:get': authed(({ principal }) => s.prefs.get(principal.user.id)),

    'prefs:set': authed(({ principal }, req) =>
      s.prefs.set(principal.user.id, {
        ...(req.theme !== undefined && { theme: req.theme }),
        ...(req.locale !== undefined && { locale: req.locale }),
      }),
    ),
  };
}
