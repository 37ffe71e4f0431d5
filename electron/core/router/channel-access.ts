import type { ChannelName } from '../../../shared/contract';

/**
 * Who may call a channel. Default deny: the table is typed over every channel of the
 * contract, so a channel without a declared access does not compile (and a test
 * checks the table at run time too).
 */
export type Access =
  | { kind: 'public' }
  | {
      kind: 'session';
      /** Answered even on a locked session (logout, unlock). */
      allowLocked?: boolean;
      /** Answered while mustChangePassword is set. */
      allowMustChange?: boolean;
      /** Every one needed (Django's permission_required). */
      permissions?: readonly string[];
      /** Needs a password entry within sudoModeMs. */
      sudo?: boolean;
    };

const PUBLIC: Access = { kind: 'public' };
const LOGIN: Access = { kind: 'session' };
const perm = (permission: string, sudo = false): Access => ({ kind: 'session', permissions: [permission], sudo });

export const CHANNEL_ACCESS: { readonly [C in ChannelName]: Access } = {
  'app:info': PUBLIC,
  'setup:create-admin': PUBLIC,
  'auth:login': PUBLIC,
  'auth:login-remembered': PUBLIC,
  'auth:logout': { kind: 'session', allowLocked: true, allowMustChange: true },
  'auth:session': PUBLIC,
  'auth:activity': { kind: 'session', allowMustChange: true },
  'auth:lock': { kind: 'session', allowMustChange: true },
  'auth:unlock': { kind: 'session', allowLocked: true, allowMustChange: true },
  'auth:reauthenticate': LOGIN,
  'profiles:list': PUBLIC,
  'profiles:forget': PUBLIC,
  // Switching to a locked profile shows its lock screen, so a locked session may be activated.
  'profiles:activate': { kind: 'session', allowLocked: true, allowMustChange: true },
  'password:check': PUBLIC,
  'session:data:get': LOGIN,
  'session:data:set': LOGIN,
  'session:data:delete': LOGIN,
  'session:data:clear': LOGIN,
  'account:update': LOGIN,
  'account:change-password': { kind: 'session', allowMustChange: true },
  'account:sessions': LOGIN,
  'account:revoke-session': LOGIN,
  'prefs:get': LOGIN,
  'prefs:set': LOGIN,
  'admin:users:list': perm('auth.view_user'),
  'admin:users:create': perm('auth.add_user', true),
  'admin:users:update': perm('auth.change_user', true),
  'admin:users:set-password': perm('auth.change_user', true),
  'admin:users:delete': perm('auth.delete_user', true),
  'admin:groups:list': perm('auth.view_group'),
  'admin:permissions:list': perm('auth.view_group'),
  'admin:groups:create': perm('auth.add_group', true),
  'admin:groups:update': perm('auth.change_group', true),
  'admin:groups:delete': perm('auth.delete_group', true),
  'admin:sessions:list': perm('sessions.view_session'),
  'admin:sessions:revoke': perm('sessions.delete_session', true),
  'admin:audit:list': perm('audit.view_event'),
};
