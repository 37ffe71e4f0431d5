import type { LoginResult } from '../../../../shared/dto';
import { AppError } from '../../errors';
import type { Services } from '../../services';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy';
import { toSessionInfo } from '../../sessions/live-session';
import type { UserRecord } from '../../users/user-record';
import { APP_VERSION } from '../../app-identity';
import { authed, type HandlerMap } from '../handler-types';

type AuthChannels =
  | 'app:info'
  | 'setup:create-admin'
  | 'auth:login'
  | 'auth:login-remembered'
  | 'auth:logout'
  | 'auth:session'
  | 'auth:activity'
  | 'auth:lock'
  | 'auth:unlock'
  | 'auth:reauthenticate'
  | 'profiles:list'
  | 'profiles:forget'
  | 'profiles:activate';

/** Django's login(): a new session (fresh ID: no fixation), last_login, the audit entry. */
export async function signIn(
  s: Services,
  senderId: number,
  user: UserRecord,
  backend: string,
  options: { passwordEntered: boolean; remember: boolean },
): Promise<LoginResult> {
  const now = s.clock.now();
  const mark = s.sessions.mark();
  // Read before this sign-in's own audit entry: the previous one and the failures since.
  const previousSignIn = s.audit.previousSignIn(user.id);
  // One commit for the session row, last_login and the audit entry.
  const session = s.transaction(() => {
    const created = s.sessions.create({ userId: user.id, senderId, backend, authAt: options.passwordEntered ? now : null });
    try {
      s.users.recordLogin(user.id);
      s.audit.record({ type: 'login.success', userId: user.id, username: user.username, detail: { backend, handle: created.handle } });
    } catch (e) {
      // The caller never receives this session: it must not stay signed in behind their back.
      s.sessions.discard(created);
      throw e;
    }
    return created;
  });
  try {
    // A networked store must hold the session before its ID is handed out.
    await s.sessions.commit(mark);
  } catch (e) {
    s.sessions.discard(session);
    throw e;
  }
  session.previousSignIn = previousSignIn;
  const remembered = options.remember ? await s.remembered.remember(user) : false;
  if (remembered) s.audit.record({ type: 'remembered.created', userId: user.id, username: user.username });
  const principal = s.directory.get(user.id);
  if (!principal) throw new AppError('SESSION_INVALID', 'Your session has ended. Sign in again.');
  return s.presenter.loginResult(session, principal, remembered);
}

export function authHandlers(s: Services): Pick<HandlerMap, AuthChannels> {
  return {
    'app:info': () => ({
      setupRequired: s.users.count() === 0,
      keychain: s.keychain.current,
      authBackends: [...s.authBackends],
      version: APP_VERSION,
      passwordPolicy: { minLength: s.settings.passwordMinLength, maxLength: PASSWORD_MAX_LENGTH },
      sessionStore: s.storeStatus(),
      sessions: {
        idleTimeoutMs: s.settings.sessionIdleTimeoutMs,
        idleAction: s.settings.idleAction,
        maxProfilesPerWindow: s.settings.maxProfilesPerWindow,
      },
    }),

    'setup:create-admin': (ctx, req) =>
      s.setupLock.run('setup', async () => {
        const done = () => new AppError('SETUP_ALREADY_DONE', 'This app is already set up. Sign in instead.');
        if (s.users.count() > 0) throw done();
        const input = {
          username: req.username,
          password: req.password,
          email: req.email ?? null,
          displayName: req.displayName ?? null,
          isActive: true,
          isStaff: true,
          isSuperuser: true,
          mustChangePassword: false,
        };
        const user = await s.accounts.createUser(input, null);
        s.audit.record({ type: 'setup', userId: user.id, username: user.username });
        return signIn(s, ctx.senderId, user, 'local-db', { passwordEntered: true, remember: false });
      }),

    'auth:login': async (ctx, req) => {
      const { user, backend } = await s.login.passwordLogin(req.username, req.password);
      return signIn(s, ctx.senderId, user, backend, { passwordEntered: true, remember: req.remember === true });
    },

    'auth:login-remembered': async (ctx, req) => {
      const { user, backend } = await s.login.rememberedLogin(req.username);
      return signIn(s, ctx.senderId, user, backend, { passwordEntered: false, remember: false });
    },

    'auth:logout': authed(async ({ session, principal }, req) => {
      s.audit.record({ type: 'logout', userId: principal.user.id, username: principal.user.username });
      s.sessions.end(session, 'logout');
      if (req.forget) {
        await s.remembered.forget(principal.user);
        s.audit.record({ type: 'remembered.revoked', userId: principal.user.id, username: principal.user.username });
      }
      return {};
    }),

    // Never counts as activity: polling must not keep a session alive.
    'auth:session': (ctx, req) => {
      const none = { user: null, session: null };
      if (!req.sessionId) return none;
      try {
        const session = s.sessions.resolve(ctx.senderId, req.sessionId);
        const principal = s.directory.get(session.userId);
        if (!principal || !principal.user.isActive) {
          s.sessions.end(session, principal ? 'deactivated' : 'deleted');
          return none;
        }
        return { user: s.presenter.user(principal), session: toSessionInfo(session, s.settings, session.hash) };
      } catch (e) {
        if (e instanceof AppError && e.code === 'SESSION_INVALID') return none;
        throw e;
      }
    },

    'auth:activity': authed(({ session }) => ({
      idleExpiresAt: toSessionInfo(session, s.settings, session.hash).idleExpiresAt,
    })),

    'auth:lock': authed(({ session }) => {
      s.sessions.lock(session, 'manual');
      return {};
    }),

    // On a locked session: unlock. On an unlocked one: reauthentication. Both rotate the ID.
    'auth:unlock': authed(async ({ session, principal }, req) => {
      await s.login.confirmPassword(principal.user, req.password);
      const wasLocked = session.locked;
      const next = s.sessions.rotate(session, s.clock.now());
      if (wasLocked) s.audit.record({ type: 'session.unlocked', userId: principal.user.id, username: principal.user.username });
      return s.presenter.loginResult(next, principal, false);
    }),

    'auth:reauthenticate': authed(async ({ session, principal }, req) => {
      await s.login.confirmPassword(principal.user, req.password);
      const now = s.clock.now();
      s.sessions.setAuthAt(session, now);
      return { sudoUntil: now + s.settings.sudoModeMs };
    }),

    'profiles:list': () => {
      const items = s.remembered.profiles();
      return { items, total: items.length };
    },

    // Public: it only ever removes access. An unknown name answers the same as a known one.
    'profiles:forget': async (_ctx, req) => {
      const user = s.users.findByIdentifier(req.username);
      if (user && !req.username.includes('@')) {
        await s.remembered.forget(user);
        s.audit.record({ type: 'remembered.revoked', userId: user.id, username: user.username });
      }
      return {};
    },

    'profiles:activate': authed((ctx) => {
      s.activeProfiles.activate(ctx.session);
      return {};
    }),
  };
}
