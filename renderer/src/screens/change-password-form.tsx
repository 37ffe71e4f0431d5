import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorBody } from '../../../shared/errors';
import { useApp, useProfile } from '../app/app-context';
import { AlertBanner } from '../components/alert-banner';
import { Spinner } from '../components/auth-layout';
import { PasswordField } from '../components/password-field';
import { StrengthMeter } from '../components/strength-meter';
import { useErrorText } from '../lib/error-text';

/**
 * Current + new password with the meter. On success the core answers a new
 * LoginResult (new session ID, other sessions ended): the store swaps the ID in
 * place (`rotated`), so the screen does not flash or remount.
 */
export function ChangePasswordForm({ onChanged, labels }: { onChanged: () => void; labels: 'settings' | 'required' }) {
  const { t } = useTranslation(['account', 'auth']);
  const { controller } = useApp();
  const errorText = useErrorText();
  const { profile, call } = useProfile();
  const meterId = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const k = labels === 'settings'
    ? { current: 'account:settings.security.current', new: 'account:settings.security.new', confirm: 'account:settings.security.confirm', submit: 'account:settings.security.submit', busy: 'account:settings.security.submitting' } as const
    : { current: 'auth:changeRequired.current', new: 'auth:changeRequired.new', confirm: 'auth:changeRequired.confirm', submit: 'auth:changeRequired.submit', busy: 'auth:changeRequired.submitting' } as const;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setMismatch(next !== confirm);
    if (next !== confirm) {
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    const reply = await call('account:change-password', { currentPassword: current, newPassword: next });
    setBusy(false);
    if (reply.ok) {
      controller.store.rotated(profile.username, reply.data);
      setCurrent('');
      setNext('');
      setConfirm('');
      onChanged();
      return;
    }
    setError(reply.error);
  }

  const message = mismatch ? t('auth:setup.mismatch') : errorText(error);
  return (
    <form className="form" onSubmit={submit} noValidate>
      <AlertBanner message={message} />
      <PasswordField label={t(k.current)} value={current} onChange={setCurrent} autoComplete="current-password" invalid={error?.code === 'INVALID_CREDENTIALS'} />
      <PasswordField label={t(k.new)} value={next} onChange={setNext} autoComplete="new-password" describedBy={meterId} invalid={error?.code === 'PASSWORD_POLICY'} />
      <StrengthMeter id={meterId} password={next} username={profile.user.username} email={profile.user.email} displayName={profile.user.displayName} />
      <PasswordField label={t(k.confirm)} value={confirm} onChange={setConfirm} autoComplete="new-password" invalid={mismatch} />
      <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
        {busy && <Spinner />}
        {busy ? t(k.busy) : t(k.submit)}
      </button>
    </form>
  );
}
