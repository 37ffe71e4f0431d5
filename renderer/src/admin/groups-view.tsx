import { useEffect, useState } from 'react';
import type { Group, Permission } from '../../../shared/dto';
import { can } from './admin-access';
import { useAdmin } from './admin-context';
import { useTr } from './admin-errors';
import { EmptyState, LoadProblem, SectionHeader } from './admin-parts';
import { ConfirmDialog } from './confirm-dialog';
import { GroupDialog } from './group-dialog';
import { useLatestList } from './use-latest-list';

type Open = { kind: 'create' } | { kind: 'edit'; group: Group } | { kind: 'delete'; group: Group } | null;

/** Groups: list with their permissions and members; create, rename / re-permission, delete. */
export function GroupsView() {
  const t = useTr();
  const { call, user } = useAdmin();
  const list = useLatestList({}, 'groups', () => call('admin:groups:list', {}));
  const [permissions, setPermissions] = useState<Permission[]>([]);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const perms = user.permissions;

  useEffect(() => {
    void call('admin:permissions:list', {}).then((r) => r.ok && setPermissions(r.data.items));
  }, [call]);

  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
    list.reload();
  };
  const nameOf = (codename: string) => t(`perm.${codename.replace('.', '_')}`, { defaultValue: permissions.find((p) => p.codename === codename)?.name ?? codename });

  return (
    <>
      <SectionHeader title={t('nav.groups')}>
        {can(perms, 'addGroup') && (
          <button type="button" className="admin-button admin-button--primary" onClick={() => setOpen({ kind: 'create' })}>
            {t('groups.new')}
          </button>
        )}
      </SectionHeader>
      <p className="admin-notice" role="status">
        {notice}
      </p>
      {list.error ? (
        <LoadProblem error={list.error} what={t('what.groups')} onRetry={list.reload} />
      ) : list.data?.total === 0 ? (
        <EmptyState title={t('groups.empty')}>
          <p>{can(perms, 'addGroup') ? t('groups.emptyHint') : t('groups.emptyHintReadOnly')}</p>
        </EmptyState>
      ) : (
        <ul className="admin-cards" aria-busy={list.loading}>
          {list.data?.items.map((g) => (
            <li key={g.id} className="admin-card">
              <div className="admin-card__head">
                <h3 className="admin-card__title">{g.name}</h3>
                <div className="admin-card__actions">
                  {can(perms, 'changeGroup') && (
                    <button type="button" className="admin-button admin-button--small" onClick={() => setOpen({ kind: 'edit', group: g })} aria-label={t('groups.editNamed', { name: g.name })}>
                      {t('groups.edit')}
                    </button>
                  )}
                  {can(perms, 'deleteGroup') && (
                    <button type="button" className="admin-button admin-button--small admin-button--danger-quiet" onClick={() => setOpen({ kind: 'delete', group: g })} aria-label={t('groups.deleteNamed', { name: g.name })}>
                      {t('groups.delete')}
                    </button>
                  )}
                </div>
              </div>
              <p className="admin-card__label">{t('groups.permissions', { count: g.permissions.length })}</p>
              {g.permissions.length === 0 ? (
                <p className="admin-muted">{t('groups.noPermissions')}</p>
              ) : (
                <ul className="admin-tags">
                  {g.permissions.map((p) => (
                    <li key={p} className="admin-tag" title={p}>
                      {nameOf(p)}
                    </li>
                  ))}
                </ul>
              )}
              <Members group={g} />
            </li>
          ))}
        </ul>
      )}
      {open?.kind === 'create' && (
        <GroupDialog permissions={permissions} onClose={() => setOpen(null)} onSaved={(g) => done(t('groups.created', { name: g.name }))} />
      )}
      {open?.kind === 'edit' && (
        <GroupDialog group={open.group} permissions={permissions} onClose={() => setOpen(null)} onSaved={(g) => done(t('groups.saved', { name: g.name }))} />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('groups.deleteTitle', { name: open.group.name })}
          body={t('groups.deleteBody')}
          confirm={t('groups.deleteConfirm', { name: open.group.name })}
          onClose={() => setOpen(null)}
          action={() => call('admin:groups:delete', { groupId: open.group.id })}
          onDone={() => done(t('groups.deleted', { name: open.group.name }))}
        />
      )}
    </>
  );
}

const MEMBERS_SHOWN = 12;

/** The first members by username and the total (needs auth.view_user, else says so). */
function Members({ group }: { group: Group }) {
  const t = useTr();
  const { call, user } = useAdmin();
  const [members, setMembers] = useState<{ names: string[]; total: number } | null>(null);
  const allowed = user.permissions.includes('auth.view_user');
  useEffect(() => {
    if (!allowed) return;
    let alive = true;
    void call('admin:users:list', { groupId: group.id, sort: 'username', limit: MEMBERS_SHOWN }).then((r) => {
      if (alive && r.ok) setMembers({ names: r.data.items.map((u) => u.username), total: r.data.total });
    });
    return () => {
      alive = false;
    };
  }, [call, group.id, allowed]);
  if (!allowed) return <p className="admin-muted">{t('groups.membersHidden')}</p>;
  if (members === null) return null;
  return (
    <>
      <p className="admin-card__label">{t('groups.members', { count: members.total })}</p>
      {members.total === 0 ? (
        <p className="admin-muted">{t('groups.noMembers')}</p>
      ) : (
        <p className="admin-members">
          {members.names.join(', ')}
          {members.total > members.names.length && ` ${t('groups.andMore', { count: members.total - members.names.length })}`}
        </p>
      )}
    </>
  );
}
