import { useState, type FormEvent } from 'react';
import type { Group, Permission } from '../../../shared/dto';
import { useAdmin } from './admin-context';
import { errorWords, fieldErrors, useTr } from './admin-errors';
import { TextField } from './admin-fields';
import { AdminDialog, DialogActions } from './confirm-dialog';
import { PermissionPicker } from './permission-picker';

/** Create a group, or rename it and change its permissions (only what changed is sent). */
export function GroupDialog({
  group,
  permissions,
  onClose,
  onSaved,
}: {
  group?: Group;
  permissions: readonly Permission[];
  onClose: () => void;
  onSaved: (g: Group) => void;
}) {
  const t = useTr();
  const { call } = useAdmin();
  const [name, setName] = useState(group?.name ?? '');
  const [selected, setSelected] = useState<Set<string>>(() => new Set(group?.permissions ?? []));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    if (name.trim() === '') {
      setErrors({ name: t('field.groupEmpty') });
      return;
    }
    setErrors({});
    setBusy(true);
    const chosen = [...selected].sort();
    const r = group
      ? await call('admin:groups:update', {
          groupId: group.id,
          ...(name.trim() !== group.name && { name: name.trim() }),
          ...(chosen.join() !== [...group.permissions].sort().join() && { permissions: chosen }),
        })
      : await call('admin:groups:create', { name: name.trim(), permissions: chosen });
    setBusy(false);
    if (r.ok) return onSaved(r.data);
    if (r.error.code === 'REAUTH_REQUIRED') return;
    const byField = fieldErrors(t, r.error);
    setErrors(byField);
    if (Object.keys(byField).length === 0) setFormError(errorWords(t, r.error));
  };

  return (
    <AdminDialog title={group ? t('groups.editTitle', { name: group.name }) : t('groups.createTitle')} onClose={onClose} size="large">
      <form onSubmit={(e) => void submit(e)} noValidate className="admin-form">
        {formError !== null && (
          <p className="admin-error admin-error--banner" role="alert">
            {formError}
          </p>
        )}
        <TextField label={t('groups.name')} value={name} onChange={setName} error={errors.name} autoFocus required />
        <PermissionPicker legend={t('groups.permissionsLegend')} permissions={permissions} selected={selected} onChange={setSelected} />
        {errors.permissions !== undefined && <p className="admin-error">{errors.permissions}</p>}
        <DialogActions submit={group ? t('groups.save') : t('groups.create')} busy={busy} />
      </form>
    </AdminDialog>
  );
}
