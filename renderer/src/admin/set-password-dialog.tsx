import { useId, useState, type FormEvent } from 'react';
import type { AdminUser } from '../../../shared/dto';
import { PasswordStrength } from '../components/strength-meter';
import { useAdmin } from './admin-context';
import { errorWords, fieldErrors, useTr } from './admin-errors';
import { AdminDialog, DialogActions } from './confirm-dialog';

/**
 * An administrator sets a user's password. "Must change at next sign-in" is on by default:
 * the person then chooses their own. Policy reasons show under the field in words.
 */
export function SetPasswordDialog({
  user,
  onClose,
  onSaved,
  returnTo,
}: {
  user: AdminUser;
  onClose: () => void;
  onSaved: () => void;
  returnTo?: HTMLElement | null;
}) {
  const t = useTr();
  const { call, client, policy } = useAdmin();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { password: useId(), confirm: useId(), meter: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (password === '') local.password = t('password.empty');
    else if (confirm !== password) local.confirm = t('password.mismatch');
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    const r = await call('admin:users:set-password', { userId: user.id, password, mustChangePassword: mustChange });
    setBusy(false);
    if (r.ok) return onSaved();
    if (r.error.code === 'REAUTH_REQUIRED') return;
    const byField = fieldErrors(t, r.error, policy);
    setErrors(byField);
    if (Object.keys(byField).length === 0) setFormError(errorWords(t, r.error));
  };

  return (
    <AdminDialog title={t('password.title', { name: user.username })} onClose={onClose} size="small" returnTo={returnTo}>
      <p className="admin-dialog__text">{t('password.body')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="admin-field">
          <label htmlFor={ids.password} className="admin-field__label">
            {t('password.new')}
          </label>
          <input
            id={ids.password}
            className="admin-input"
            type="password"
            autoComplete="new-password"
            autoFocus
            value={password}
            aria-invalid={errors.password !== undefined}
            aria-describedby={errors.password !== undefined ? `${ids.password}-error ${ids.meter}` : ids.meter}
            onChange={(e) => setPassword(e.target.value)}
          />
          {errors.password !== undefined && (
            <p id={`${ids.password}-error`} className="admin-error">
              {errors.password}
            </p>
          )}
          <PasswordStrength
            id={ids.meter}
            client={client}
            policy={policy}
            password={password}
            username={user.username}
            email={user.email}
            displayName={user.displayName}
          />
        </div>
        <div className="admin-field">
          <label htmlFor={ids.confirm} className="admin-field__label">
            {t('password.confirm')}
          </label>
          <input
            id={ids.confirm}
            className="admin-input"
            type="password"
            autoComplete="new-password"
            value={confirm}
            aria-invalid={errors.confirm !== undefined}
            aria-describedby={errors.confirm !== undefined ? `${ids.confirm}-error` : undefined}
            onChange={(e) => setConfirm(e.target.value)}
          />
          {errors.confirm !== undefined && (
            <p id={`${ids.confirm}-error`} className="admin-error">
              {errors.confirm}
            </p>
          )}
        </div>
        <label className="admin-check">
          <input type="checkbox" checked={mustChange} onChange={(e) => setMustChange(e.target.checked)} />
          <span>{t('password.mustChange')}</span>
        </label>
        <p className="admin-hint">{t('password.endsSessions')}</p>
        {formError !== null && (
          <p className="admin-error" role="alert">
            {formError}
          </p>
        )}
        <DialogActions submit={t('password.submit')} busy={busy} />
      </form>
    </AdminDialog>
  );
}
