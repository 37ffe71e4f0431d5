import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorBody } from '../../../shared/errors';
import { useApp, useProfile } from '../app/app-context';
import { AlertBanner } from '../components/alert-banner';
import { Spinner } from '../components/auth-layout';
import { TextField } from '../components/text-field';
import { useErrorText } from '../lib/error-text';

/** Display name, email, phone: validated by the core (field errors mark the inputs). */
export function ProfileTab() {
  const { t } = useTranslation('account');
  const { controller } = useApp();
  const errorText = useErrorText();
  const { profile, call } = useProfile();
  const [displayName, setDisplayName] = useState(profile.user.displayName);
  const [email, setEmail] = useState(profile.user.email ?? '');
  const [phone, setPhone] = useState(profile.user.phone ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [saved, setSaved] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    const reply = await call('account:update', {
      displayName: displayName.trim() || null,
      email: email.trim() || null,
      phone: phone.trim() || null,
    });
    setBusy(false);
    if (reply.ok) {
      controller.store.setUser(profile.username, reply.data);
      setSaved(true);
    } else setError(reply.error);
  }

  const fields = error?.fields ?? {};
  return (
    <form className="form form--panel" onSubmit={submit} noValidate>
      <AlertBanner message={errorText(error)} />
      <TextField label={t('settings.profile.username')} value={profile.user.username} onChange={() => undefined} readOnly />
      <TextField label={t('settings.profile.displayName')} value={displayName} onChange={setDisplayName} autoComplete="name" invalid={!!fields.displayName} />
      <TextField label={t('settings.profile.email')} type="email" value={email} onChange={setEmail} autoComplete="email" invalid={!!fields.email} />
      <TextField label={t('settings.profile.phone')} type="tel" value={phone} onChange={setPhone} autoComplete="tel" invalid={!!fields.phone} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
          {busy && <Spinner />}
          {t('settings.profile.save')}
        </button>
        <p className="form__status" role="status">
          {saved ? t('settings.profile.saved') : ''}
        </p>
      </div>
    </form>
  );
}
