import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AdminUser, Group, Permission } from '../../../shared/dto';
import { PasswordStrength } from '../components/strength-meter';
import { can } from './admin-access';
import { useAdmin } from './admin-context';
import { errorWords, fieldErrors, useTr } from './admin-errors';
import { CheckField, TextField } from './admin-fields';
import { AdminDialog, DialogActions } from './confirm-dialog';
import { PermissionPicker } from './permission-picker';

interface Draft {
  username: string;
  displayName: string;
  email: string;
  phone: string;
  password: string;
  mustChangePassword: boolean;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  groups: Set<string>;
  permissions: Set<string>;
}

const draftOf = (u?: AdminUser): Draft => ({
  username: u?.username ?? '',
  displayName: u?.displayName ?? '',
  email: u?.email ?? '',
  phone: u?.phone ?? '',
  password: '',
  mustChangePassword: true,
  isActive: u?.isActive ?? true,
  isStaff: u?.isStaff ?? false,
  isSuperuser: u?.isSuperuser ?? false,
  groups: new Set(u?.groups ?? []),
  permissions: new Set<string>(),
});

const same = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/**
 * The permissions a user holds directly: AdminUser carries effective permissions only, so
 * this is effective minus what their groups grant. A permission held both ways shows as
 * coming from the group (dropping the direct copy changes nothing the user can do).
 */
export function directPermissionsOf(user: AdminUser, groups: readonly Group[]): Set<string> {
  const fromGroups = new Set(groups.filter((g) => user.groups.includes(g.name)).flatMap((g) => g.permissions));
  return new Set(user.permissions.filter((p) => !fromGroups.has(p)));
}

/**
 * Create or edit a user. Edit sends only what changed (the audit log names those fields);
 * direct permissions are sent only when the picker was touched. A superuser's effective
 * permissions are every one, so their direct ones start empty.
 */
export function UserDialog({
  user,
  onClose,
  onSaved,
  returnTo,
}: {
  user?: AdminUser;
  onClose: () => void;
  onSaved: (u: AdminUser) => void;
  returnTo?: HTMLElement | null;
}) {
  const t = useTr();
  const { call, client, user: me, policy } = useAdmin();
  const meterId = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(user));
  const [permsTouched, setPermsTouched] = useState(false);
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [permissions, setPermissions] = useState<Permission[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canSeeGroups = can(me.permissions, 'viewGroup');
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  useEffect(() => {
    if (!canSeeGroups) return;
    void call('admin:groups:list', {}).then((r) => {
      if (!r.ok) return;
      setGroups(r.data.items);
      if (user && !user.isSuperuser) setDraft((d) => ({ ...d, permissions: directPermissionsOf(user, r.data.items) }));
    });
    void call('admin:permissions:list', {}).then((r) => r.ok && setPermissions(r.data.items));
  }, [call, canSeeGroups, user]);

  const validate = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (draft.username.trim() === '') e.username = t('field.usernameEmpty');
    if (!user && draft.password === '') e.password = t('password.empty');
    return e;
  };

  const payload = () => {
    const text = (v: string) => (v.trim() === '' ? null : v.trim());
    const before = draftOf(user);
    const p: Record<string, unknown> = {};
    if (!user || draft.username.trim() !== before.username) p.username = draft.username.trim();
    if (!user || draft.displayName !== before.displayName) p.displayName = text(draft.displayName);
    if (!user || draft.email !== before.email) p.email = text(draft.email);
    if (!user || draft.phone !== before.phone) p.phone = text(draft.phone);
    for (const k of ['isActive', 'isStaff', 'isSuperuser'] as const) if (!user || draft[k] !== before[k]) p[k] = draft[k];
    if (canSeeGroups && (!user || !same(draft.groups, before.groups))) p.groups = [...draft.groups];
    if (canSeeGroups && (!user || permsTouched)) p.permissions = [...draft.permissions];
    if (!user) {
      p.password = draft.password;
      p.mustChangePassword = draft.mustChangePassword;
    }
    return p;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const local = validate();
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    const p = payload();
    const r = user
      ? await call('admin:users:update', { userId: user.id, ...p })
      : await call('admin:users:create', p as { username: string; password: string });
    setBusy(false);
    if (r.ok) return onSaved(r.data);
    if (r.error.code === 'REAUTH_REQUIRED') return; // sudo cancelled: nothing changed, the form stays
    const byField = fieldErrors(t, r.error, policy);
    setErrors(byField);
    // Shown in the dialog when no field carries it (last superuser, your own account…).
    if (Object.keys(byField).length === 0 || r.error.code !== 'VALIDATION_ERROR') setFormError(errorWords(t, r.error));
  };

  return (
    <AdminDialog title={user ? t('userForm.editTitle', { name: user.username }) : t('userForm.createTitle')} onClose={onClose} size="large" returnTo={returnTo}>
      <form onSubmit={(e) => void submit(e)} noValidate className="admin-form">
        {formError !== null && (
          <p className="admin-error admin-error--banner" role="alert">
            {formError}
          </p>
        )}
        <div className="admin-form__grid">
          <TextField label={t('col.username')} value={draft.username} onChange={(v) => set('username', v)} error={errors.username} autoFocus required />
          <TextField label={t('col.displayName')} value={draft.displayName} onChange={(v) => set('displayName', v)} error={errors.displayName} />
          <TextField label={t('col.email')} type="email" value={draft.email} onChange={(v) => set('email', v)} error={errors.email} />
          <TextField label={t('userForm.phone')} type="tel" value={draft.phone} onChange={(v) => set('phone', v)} error={errors.phone} />
          {!user && (
            <TextField
              label={t('userForm.password')}
              type="password"
              autoComplete="new-password"
              value={draft.password}
              onChange={(v) => set('password', v)}
              error={errors.password}
              describedBy={meterId}
              required
            >
              <PasswordStrength
                id={meterId}
                client={client}
                policy={policy}
                password={draft.password}
                username={draft.username}
                email={draft.email}
                displayName={draft.displayName}
              />
            </TextField>
          )}
        </div>
        <div className="admin-form__checks">
          {!user && (
            <CheckField label={t('password.mustChange')} checked={draft.mustChangePassword} onChange={(v) => set('mustChangePassword', v)} />
          )}
          <CheckField label={t('userForm.active')} hint={t('userForm.activeHint')} checked={draft.isActive} onChange={(v) => set('isActive', v)} disabled={user?.id === me.id} />
          <CheckField label={t('userForm.staff')} hint={t('userForm.staffHint')} checked={draft.isStaff} onChange={(v) => set('isStaff', v)} />
          <CheckField label={t('userForm.superuser')} hint={t('userForm.superuserHint')} checked={draft.isSuperuser} onChange={(v) => set('isSuperuser', v)} />
        </div>
        {canSeeGroups ? (
          <>
            <fieldset className="admin-picker">
              <legend className="admin-field__label">{t('col.groups')}</legend>
              {groups?.length === 0 && <p className="admin-muted">{t('userForm.noGroups')}</p>}
              <div className="admin-chips">
                {groups?.map((g) => (
                  <label key={g.id} className="admin-check admin-chip">
                    <input
                      type="checkbox"
                      checked={draft.groups.has(g.name)}
                      onChange={(e) => {
                        const next = new Set(draft.groups);
                        if (e.target.checked) next.add(g.name);
                        else next.delete(g.name);
                        set('groups', next);
                      }}
                    />
                    <span>{g.name}</span>
                  </label>
                ))}
              </div>
              {errors.groups !== undefined && <p className="admin-error">{errors.groups}</p>}
            </fieldset>
            <PermissionPicker
              legend={t('userForm.directPermissions')}
              hint={t('userForm.directHint')}
              permissions={permissions ?? []}
              selected={draft.permissions}
              onChange={(next) => {
                setPermsTouched(true);
                set('permissions', next);
              }}
            />
            {errors.permissions !== undefined && <p className="admin-error">{errors.permissions}</p>}
          </>
        ) : (
          <p className="admin-hint">{t('userForm.groupsHidden')}</p>
        )}
        <DialogActions submit={user ? t('userForm.save') : t('userForm.create')} busy={busy} />
      </form>
    </AdminDialog>
  );
}
