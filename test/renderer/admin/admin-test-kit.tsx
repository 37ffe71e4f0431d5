import { render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import type { AdminSessionInfo, AdminUser, AuditItem, Group, Permission, User } from '../../../shared/dto';
import { AdminConsole, type AdminConsoleProps } from '../../../renderer/src/admin/admin-console';
import { createAccountsClient } from '../../../renderer/src/app/accounts-client';
import { createI18n } from '../../../renderer/src/i18n/i18n-setup';
import { FakeAccountsApi, T0, err, makeUser, ok } from '../../support/fake-accounts-api';

export const ALL_PERMISSIONS: Permission[] = [
  ['audit.view_event', 'Can view event'],
  ['auth.add_group', 'Can add group'],
  ['auth.add_user', 'Can add user'],
  ['auth.change_group', 'Can change group'],
  ['auth.change_user', 'Can change user'],
  ['auth.delete_group', 'Can delete group'],
  ['auth.delete_user', 'Can delete user'],
  ['auth.view_group', 'Can view group'],
  ['auth.view_user', 'Can view user'],
  ['sessions.delete_session', 'Can delete session'],
  ['sessions.view_session', 'Can view session'],
].map(([codename, name]) => ({ codename: codename as string, name: name as string }));

export const SID = 'sid-admin';

export function adminUser(overrides: Partial<AdminUser> = {}): AdminUser {
  return { ...makeUser(overrides), isActive: true, groups: [], createdAt: T0, ...overrides };
}

/**
 * An in-memory admin back end on the fake bridge: users (search, sort, paging, groupId),
 * groups, sessions (deactivation ends a user's sessions) and the audit log, plus a
 * switch that makes every write answer REAUTH_REQUIRED until auth:reauthenticate
 * receives `password`.
 */
export class AdminWorld {
  users: AdminUser[] = [];
  groups: Group[] = [];
  sessions: AdminSessionInfo[] = [];
  audit: AuditItem[] = [];
  sudo = true;
  password = 'admin password';

  constructor(readonly api: FakeAccountsApi) {
    const write = <T,>(fn: () => T) => (this.sudo ? ok(fn()) : err('REAUTH_REQUIRED'));
    api
      .handle('auth:reauthenticate', (p) => {
        if (p.password !== this.password) return err('INVALID_CREDENTIALS');
        this.sudo = true;
        return ok({ sudoUntil: T0 + 300_000 });
      })
      .handle('auth:session', () => ok({ user: null, session: null }))
      .handle('admin:users:list', (p) => {
        const q = (p.query ?? '').toLowerCase();
        let items = this.users.filter(
          (u) => !q || u.username.toLowerCase().includes(q) || (u.email ?? '').includes(q) || u.displayName.toLowerCase().includes(q),
        );
        if (p.groupId !== undefined) {
          const g = this.groups.find((x) => x.id === p.groupId);
          items = items.filter((u) => g !== undefined && u.groups.includes(g.name));
        }
        const key = p.sort ?? 'id';
        const value = (u: AdminUser) =>
          key === 'username' ? u.username.toLowerCase() : key === 'displayName' ? u.displayName : key === 'email' ? u.email ?? '' : key === 'lastLogin' ? u.lastLoginAt ?? 0 : u.id;
        items = [...items].sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : a.id - b.id));
        if (p.order === 'desc') items.reverse();
        const offset = p.offset ?? 0;
        return ok({ items: items.slice(offset, offset + (p.limit ?? 50)), total: items.length });
      })
      .handle('admin:users:create', (p) => {
        if (!this.sudo) return err('REAUTH_REQUIRED');
        if (this.users.some((u) => u.username.toLowerCase() === p.username.toLowerCase())) {
          return err('CONFLICT', { message: 'This username is already taken.', fields: { username: 'This username is already taken.' } });
        }
        const u = adminUser({ id: this.users.length + 100, username: p.username, displayName: p.displayName ?? '', email: p.email ?? null, groups: p.groups ?? [], permissions: p.permissions ?? [] });
        this.users.push(u);
        return ok(u);
      })
      .handle('admin:users:update', (p) => {
        if (!this.sudo) return err('REAUTH_REQUIRED');
        const u = this.users.find((x) => x.id === p.userId);
        if (!u) return err('NOT_FOUND');
        if (p.isActive === false) this.sessions = this.sessions.filter((s) => s.userId !== u.id);
        Object.assign(u, { ...(p.isActive !== undefined && { isActive: p.isActive }), ...(p.displayName !== undefined && { displayName: p.displayName ?? '' }) });
        return ok(u);
      })
      .handle('admin:users:set-password', () => write(() => ({})))
      .handle('admin:users:delete', (p) => write(() => {
        this.users = this.users.filter((u) => u.id !== p.userId);
        return {};
      }))
      .handle('admin:groups:list', () => ok({ items: this.groups, total: this.groups.length }))
      .handle('admin:permissions:list', () => ok({ items: ALL_PERMISSIONS, total: ALL_PERMISSIONS.length }))
      .handle('admin:groups:create', (p) => write(() => {
        const g = { id: this.groups.length + 1, name: p.name, permissions: [...p.permissions].sort() };
        this.groups.push(g);
        return g;
      }))
      .handle('admin:groups:update', (p) => write(() => {
        const g = this.groups.find((x) => x.id === p.groupId) as Group;
        if (p.name !== undefined) g.name = p.name;
        if (p.permissions !== undefined) g.permissions = p.permissions;
        return g;
      }))
      .handle('admin:groups:delete', (p) => write(() => {
        this.groups = this.groups.filter((g) => g.id !== p.groupId);
        return {};
      }))
      .handle('admin:sessions:list', (p) => {
        const offset = p.offset ?? 0;
        return ok({ items: this.sessions.slice(offset, offset + (p.limit ?? 50)), total: this.sessions.length });
      })
      .handle('admin:sessions:revoke', (p) => write(() => {
        this.sessions = this.sessions.filter((s) => s.handle !== p.handle);
        return {};
      }))
      .handle('admin:audit:list', (p) => {
        const items = this.audit
          .filter((e) => (p.type === undefined || e.type === p.type) && (p.userId === undefined || e.userId === p.userId))
          .filter((e) => (p.since === undefined || e.at >= p.since) && (p.until === undefined || e.at <= p.until));
        const offset = p.offset ?? 0;
        return ok({ items: items.slice(offset, offset + (p.limit ?? 50)), total: items.length });
      });
  }

  addUsers(n: number, make: (i: number) => Partial<AdminUser> = () => ({})): void {
    for (let i = 0; i < n; i++) {
      const id = this.users.length + 1;
      this.users.push(adminUser({ id, username: `user${String(id).padStart(5, '0')}`, ...make(i) }));
    }
  }

  session(user: AdminUser, overrides: Partial<AdminSessionInfo> = {}): AdminSessionInfo {
    const s: AdminSessionInfo = {
      handle: `${user.id.toString(16).padStart(8, '0')}${this.sessions.length.toString(16).padStart(8, '0')}`,
      createdAt: T0 - 3_600_000,
      lastActivityAt: T0 - 60_000,
      idleExpiresAt: T0 + 14 * 60_000,
      absoluteExpiresAt: T0 + 8 * 3_600_000,
      locked: false,
      current: false,
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      avatarColor: user.avatarColor,
      windowId: this.sessions.length + 1,
      ...overrides,
    };
    this.sessions.push(s);
    return s;
  }
}

export interface RenderOptions {
  permissions?: string[];
  user?: Partial<User>;
  props?: Partial<AdminConsoleProps>;
  language?: 'en' | 'zh-CN';
  /** Runs before the first render: seed the world, override handlers. */
  before?: (world: AdminWorld, api: FakeAccountsApi) => void;
}

export function renderConsole(options: RenderOptions = {}) {
  const api = new FakeAccountsApi();
  const world = new AdminWorld(api);
  const me = makeUser({ id: 1, username: 'admin', permissions: options.permissions ?? ALL_PERMISSIONS.map((p) => p.codename), ...options.user });
  world.users.push(adminUser({ ...me, isSuperuser: true }));
  options.before?.(world, api);
  const i18n = createI18n(options.language ?? 'en');
  const client = createAccountsClient(api);
  const view = render(
    <I18nextProvider i18n={i18n}>
      <AdminConsole client={client} sessionId={SID} user={me} sessionsPollMs={60_000} {...options.props} />
    </I18nextProvider>,
  );
  return { api, world, me, view };
}
