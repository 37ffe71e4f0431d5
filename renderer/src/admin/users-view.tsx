import * as Menu from '@radix-ui/react-dropdown-menu';
import { memo, useCallback, useRef, useState } from 'react';
import type { UserSortKey } from '../../../shared/contract';
import type { AdminUser } from '../../../shared/dto';
import { can } from './admin-access';
import { useAdmin } from './admin-context';
import { errorWords, useTr } from './admin-errors';
import { Badge, EmptyState, LoadProblem, Pager, RelativeTime, SectionHeader, useFormatNumber } from './admin-parts';
import { ConfirmDialog } from './confirm-dialog';
import { SetPasswordDialog } from './set-password-dialog';
import { useLatestList } from './use-latest-list';
import { UserDialog } from './user-dialog';

export const USERS_PAGE_SIZE = 50;

type Open =
  | { kind: 'create' }
  | { kind: 'edit'; user: AdminUser }
  | { kind: 'password'; user: AdminUser }
  | { kind: 'delete'; user: AdminUser }
  | null;

const SORTABLE: { key: UserSortKey; label: string }[] = [
  { key: 'username', label: 'col.username' },
  { key: 'displayName', label: 'col.displayName' },
  { key: 'email', label: 'col.email' },
];

/** Users: server-side search, sort and paging (10,000 users stay responsive), row actions in a menu. */
export function UsersView() {
  const t = useTr();
  const fmt = useFormatNumber();
  const { call, user: me, sessionsChanged } = useAdmin();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<UserSortKey>('username');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** The row's menu button: focus returns there when a dialog opened from its menu closes. */
  const menuButton = useRef<HTMLElement | null>(null);
  const [now] = useState(() => Date.now());
  const params = { query: query.trim(), sort, order, offset, limit: USERS_PAGE_SIZE };
  const list = useLatestList(params, JSON.stringify(params), (p) =>
    call('admin:users:list', { ...(p.query && { query: p.query }), sort: p.sort, order: p.order, offset: p.offset, limit: p.limit }),
  );
  const perms = me.permissions;

  const sortBy = (key: UserSortKey) => {
    if (key === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(key);
      setOrder(key === 'lastLogin' ? 'desc' : 'asc');
    }
    setOffset(0);
  };

  const setActive = async (u: AdminUser, isActive: boolean) => {
    const r = await call('admin:users:update', { userId: u.id, isActive });
    if (r.ok) {
      setNotice(t(isActive ? 'users.activated' : 'users.deactivated', { name: u.username }));
      sessionsChanged();
      list.reload();
    } else if (r.error.code !== 'REAUTH_REQUIRED') setNotice(errorWords(t, r.error));
  };

  // Stable handlers, so typing in the search box does not re-render 50 memoized rows.
  const latest = useRef({ setActive, setOpen });
  latest.current = { setActive, setOpen };
  const onOpen = useCallback((o: Open, trigger: HTMLElement | null) => {
    menuButton.current = trigger;
    latest.current.setOpen(o);
  }, []);
  const onActive = useCallback((u: AdminUser, active: boolean) => latest.current.setActive(u, active), []);

  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
    sessionsChanged();
    list.reload();
  };

  const header = (key: UserSortKey, label: string) => (
    <th key={key} scope="col" aria-sort={sort === key ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="admin-sort" onClick={() => sortBy(key)}>
        {t(label)}
        <span aria-hidden="true" className="admin-sort__arrow">
          {sort === key ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );

  const data = list.data;
  return (
    <>
      <SectionHeader title={t('nav.users')}>
        {can(perms, 'addUser') && (
          <button type="button" className="admin-button admin-button--primary" onClick={() => setOpen({ kind: 'create' })}>
            {t('users.new')}
          </button>
        )}
      </SectionHeader>
      <div className="admin-toolbar">
        <input
          className="admin-input admin-search"
          type="search"
          aria-label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOffset(0);
          }}
        />
        <span className="admin-muted" aria-live="polite" data-testid="users-total">
          {data ? t('users.total', { count: data.total, n: fmt(data.total) }) : ''}
        </span>
      </div>
      <p className="admin-notice" role="status">
        {notice}
      </p>
      {list.error ? (
        <LoadProblem error={list.error} what={t('what.users')} onRetry={list.reload} />
      ) : data && data.total === 0 ? (
        <EmptyState title={query.trim() ? t('users.noMatch', { query: query.trim() }) : t('users.empty')}>
          <p>{query.trim() ? t('users.noMatchHint') : t('users.emptyHint')}</p>
        </EmptyState>
      ) : (
        <div className="admin-table-wrap" aria-busy={list.loading}>
          <table className="admin-table">
            <caption className="admin-visually-hidden">{t('users.caption')}</caption>
            <thead>
              <tr>
                {SORTABLE.map((c) => header(c.key, c.label))}
                <th scope="col">{t('col.status')}</th>
                <th scope="col">{t('col.groups')}</th>
                {header('lastLogin', 'col.lastLogin')}
                <th scope="col">
                  <span className="admin-visually-hidden">{t('col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data?.items.map((u) => (
                <UserRow key={u.id} user={u} self={u.id === me.id} perms={perms} now={now} onOpen={onOpen} onActive={onActive} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > 0 && <Pager offset={offset} limit={USERS_PAGE_SIZE} total={data.total} onOffset={setOffset} />}
      {open?.kind === 'create' && <UserDialog onClose={() => setOpen(null)} onSaved={(u) => done(t('users.created', { name: u.username }))} />}
      {open?.kind === 'edit' && (
        <UserDialog user={open.user} returnTo={menuButton.current} onClose={() => setOpen(null)} onSaved={(u) => done(t('users.saved', { name: u.username }))} />
      )}
      {open?.kind === 'password' && (
        <SetPasswordDialog user={open.user} returnTo={menuButton.current} onClose={() => setOpen(null)} onSaved={() => done(t('password.done', { name: open.user.username }))} />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('users.deleteTitle', { name: open.user.username })}
          body={t('users.deleteBody')}
          confirm={t('users.deleteConfirm', { name: open.user.username })}
          returnTo={menuButton.current}
          onClose={() => setOpen(null)}
          action={() => call('admin:users:delete', { userId: open.user.id })}
          onDone={() => done(t('users.deleted', { name: open.user.username }))}
        />
      )}
    </>
  );
}

const UserRow = memo(function UserRow({
  user: u,
  self,
  perms,
  now,
  onOpen,
  onActive,
}: {
  user: AdminUser;
  self: boolean;
  perms: readonly string[];
  now: number;
  onOpen: (open: Open, trigger: HTMLElement | null) => void;
  onActive: (user: AdminUser, active: boolean) => Promise<void>;
}) {
  const t = useTr();
  return (
    <tr className={u.isActive ? undefined : 'admin-row--inactive'}>
      <td className="admin-cell--strong">
        <span className="admin-avatar" style={{ backgroundColor: u.avatarColor }} aria-hidden="true">
          {(u.displayName || u.username).slice(0, 1).toUpperCase()}
        </span>
        {u.username}
      </td>
      <td className="admin-cell--clip" title={u.displayName}>
        {u.displayName}
      </td>
      <td className="admin-cell--clip" title={u.email ?? undefined}>
        {u.email}
      </td>
      <td>
        <span className="admin-badges">
          {!u.isActive && <Badge tone="off">{t('status.inactive')}</Badge>}
          {u.isSuperuser && <Badge tone="accent">{t('status.superuser')}</Badge>}
          {!u.isSuperuser && u.isStaff && <Badge tone="warn">{t('status.staff')}</Badge>}
          {u.isActive && !u.isSuperuser && !u.isStaff && <Badge tone="ok">{t('status.active')}</Badge>}
        </span>
      </td>
      <td className="admin-cell--clip" title={u.groups.join(', ')}>
        {u.groups.join(', ')}
      </td>
      <td>
        <RelativeTime at={u.lastLoginAt} now={now} />
      </td>
      <td className="admin-cell--actions">
        <UserActions user={u} self={self} perms={perms} onOpen={onOpen} onActive={onActive} />
      </td>
    </tr>
  );
});

function UserActions({
  user,
  self,
  perms,
  onOpen,
  onActive,
}: {
  user: AdminUser;
  self: boolean;
  perms: readonly string[];
  onOpen: (open: Open, trigger: HTMLElement | null) => void;
  onActive: (user: AdminUser, active: boolean) => Promise<void>;
}) {
  const t = useTr();
  const change = can(perms, 'changeUser');
  const remove = can(perms, 'deleteUser');
  const trigger = useRef<HTMLButtonElement>(null);
  if (!change && !remove) return null;
  return (
    <Menu.Root modal={false}>
      <Menu.Trigger ref={trigger} className="admin-icon-button" aria-label={t('users.actionsFor', { name: user.username })}>
        <span aria-hidden="true">⋯</span>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content className="admin-menu" align="end" sideOffset={4}>
          {change && (
            <>
              <Menu.Item className="admin-menu__item" onSelect={() => onOpen({ kind: 'edit', user }, trigger.current)}>
                {t('users.edit')}
              </Menu.Item>
              <Menu.Item className="admin-menu__item" onSelect={() => onOpen({ kind: 'password', user }, trigger.current)}>
                {t('users.setPassword')}
              </Menu.Item>
              <Menu.Item className="admin-menu__item" disabled={self} onSelect={() => void onActive(user, !user.isActive)}>
                {user.isActive ? t('users.deactivate') : t('users.activate')}
              </Menu.Item>
            </>
          )}
          {remove && (
            <>
              <Menu.Separator className="admin-menu__sep" />
              <Menu.Item className="admin-menu__item admin-menu__item--danger" disabled={self} onSelect={() => onOpen({ kind: 'delete', user }, trigger.current)}>
                {t('users.delete')}
              </Menu.Item>
            </>
          )}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
