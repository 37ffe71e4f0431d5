import type { AdminSessionInfo } from '../../../../shared/dto';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../../audit/audit-log';
import { AppError, validationError } from '../../errors';
import type { Services } from '../../services';
import { toSessionInfo } from '../../sessions/live-session';
import { authed, type HandlerMap } from '../handler-types';

type AdminChannels = Extract<keyof HandlerMap, `admin:${string}`>;

const isAuditEventType = (t: string): t is AuditEventType => (AUDIT_EVENT_TYPES as readonly string[]).includes(t);

const page = (offset?: number, limit?: number) => ({ offset: offset ?? 0, limit: limit ?? 50 });

/** The admin console. Permissions and sudo mode are checked by the router before any of these run. */
export function adminHandlers(s: Services): Pick<HandlerMap, AdminChannels> {
  const requireUser = (id: number) => {
    const user = s.users.findById(id);
    if (!user) throw new AppError('NOT_FOUND', 'That user does not exist.');
    return user;
  };

  // An administrator cannot delete or deactivate the account they are signed in with:
  // it would end the very session making the change, and it is how one locks oneself out.
  const refuseSelf = (actorId: number, userId: number) => {
    if (actorId === userId) {
      throw new AppError('CONFLICT', "You can't delete or deactivate your own account. Ask another administrator.");
    }
  };

  return {
    'admin:users:list': authed((_ctx, req) => {
      const { items, total } = s.users.list({
        ...(req.query !== undefined && { query: req.query }),
        ...(req.groupId !== undefined && { groupId: req.groupId }),
        ...(req.sort !== undefined && { sort: req.sort }),
        ...(req.order !== undefined && { order: req.order }),
        ...page(req.offset, req.limit),
      });
      return { items: items.map((u) => s.presenter.adminUser(u)), total };
    }),

    'admin:users:create': authed(async ({ principal }, req) => {
      const { sessionId: _sid, ...input } = req;
      const user = await s.accounts.createUser(
        { ...input, mustChangePassword: req.mustChangePassword ?? true },
        principal.user,
      );
      return s.presenter.adminUser(user);
    }),

    'admin:users:update': authed(async ({ principal }, req) => {
      const { sessionId: _sid, userId, ...patch } = req;
      if (patch.isActive === false) refuseSelf(principal.user.id, userId);
      const user = await s.accounts.updateUser(userId, patch, principal.user);
      return s.presenter.adminUser(user);
    }),

    // By default the user must choose their own password at next sign-in (mustChangePassword).
    'admin:users:set-password': authed(async ({ principal }, req) => {
      const user = requireUser(req.userId);
      await s.accounts.setPassword(user, req.password, { mustChange: req.mustChangePassword ?? true, actor: principal.user });
      return {};
    }),

    'admin:users:delete': authed(async ({ principal }, req) => {
      refuseSelf(principal.user.id, req.userId);
      await s.accounts.deleteUser(req.userId, principal.user);
      return {};
    }),

    'admin:groups:list': authed(() => {
      const items = s.permissions.listGroups();
      return { items, total: items.length };
    }),

    'admin:permissions:list': authed(() => {
      const items = s.permissions.listPermissions();
      return { items, total: items.length };
    }),

    'admin:groups:create': authed(({ principal }, req) => {
      const group = s.permissions.createGroup(req.name, req.permissions);
      s.audit.record({ type: 'group.created', userId: principal.user.id, username: principal.user.username, detail: { groupId: group.id, name: group.name } });
      return group;
    }),

    'admin:groups:update': authed(({ principal }, req) => {
      const group = s.permissions.updateGroup(req.groupId, {
        ...(req.name !== undefined && { name: req.name }),
        ...(req.permissions !== undefined && { permissions: req.permissions }),
      });
      s.audit.record({ type: 'group.updated', userId: principal.user.id, username: principal.user.username, detail: { groupId: group.id } });
      return group;
    }),

    'admin:groups:delete': authed(({ principal }, req) => {
      s.permissions.deleteGroup(req.groupId);
      s.audit.record({ type: 'group.deleted', userId: principal.user.id, username: principal.user.username, detail: { groupId: req.groupId } });
      return {};
    }),

    'admin:sessions:list': authed(({ session }, req) => {
      const all = [...s.sessions.all()]
        .filter((x) => req.userId === undefined || x.userId === req.userId)
        .sort((a, b) => a.createdAt - b.createdAt || (a.hash < b.hash ? -1 : 1));
      const { offset, limit } = page(req.offset, req.limit);
      const items: AdminSessionInfo[] = all.slice(offset, offset + limit).map((x) => {
        const user = s.directory.get(x.userId)?.user;
        return {
          ...toSessionInfo(x, s.settings, session.hash),
          userId: x.userId,
          username: user?.username ?? '',
          displayName: user?.displayName ?? '',
          avatarColor: user?.avatarColor ?? '',
          windowId: x.senderId,
        };
      });
      return { items, total: all.length };
    }),

    'admin:sessions:revoke': authed(({ principal }, req) => {
      const target = s.sessions.byHandle(req.handle);
      if (!target) throw new AppError('NOT_FOUND', 'That session does not exist.');
      s.sessions.end(target, 'revoked');
      s.audit.record({ type: 'sessions.revoked', userId: principal.user.id, username: principal.user.username, detail: { handle: req.handle, of: target.userId } });
      return {};
    }),

    'admin:audit:list': authed((_ctx, req) => {
      const type = req.type;
      if (type !== undefined && !isAuditEventType(type)) {
        throw validationError({ type: `Unknown event type. Known types: ${AUDIT_EVENT_TYPES.join(', ')}.` });
      }
      return s.audit.list({
        ...page(req.offset, req.limit),
        ...(type !== undefined && { type }),
        ...(req.userId !== undefined && { userId: req.userId }),
        ...(req.since !== undefined && { since: req.since }),
        ...(req.until !== undefined && { until: req.until }),
      });
    }),
  };
}
