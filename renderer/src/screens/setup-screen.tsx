import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../app/app-context';
import { AlertBanner } from '../components/alert-banner';
import { AuthLayout, Spinner } from '../components/auth-layout';
import { PasswordField } from '../components/password-field';
import { StrengthMeter } from '../components/strength-meter';
import { TextField } from '../components/text-field';
import { useErrorText } from '../lib/error-text';

/** First run: "Create the administrator account", then Home, signed in. */
export function SetupScreen({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('auth');
  const { controller } = useApp();
  const errorText = useErrorText();
  const meterId = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (password !== confirm) {
      setError(t('setup.mismatch'));
      setFields({ confirm: 'mismatch' });
      return;
    }
    setBusy(true);
    setError(null);
    const reply = await controller.client.call('setup:create-admin', {
      username: username.trim(),
      password,
      displayName: displayName.trim() || null,
      email: email.trim() || null,
    });
    if (reply.ok) {
      await controller.signedIn(reply.data);
      onDone();
      return;
    }
    setBusy(false);
    setFields(reply.error.fields ?? (reply.error.code === 'PASSWORD_POLICY' ? { password: 'policy' } : {}));
    if (reply.error.code === 'SETUP_ALREADY_DONE') onDone();
    setError(errorText(reply.error));
  }

  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.subtitle')} wide>
      <form className="form" onSubmit={submit} noValidate>
        <AlertBanner message={error} />
        <div className="form__row">
          <TextField label={t('setup.username')} value={username} onChange={setUsername} autoComplete="username" autoFocus invalid={!!fields.username} />
          <TextField label={t('setup.displayName')} value={displayName} onChange={setDisplayName} autoComplete="name" invalid={!!fields.displayName} />
        </div>
        <TextField label={t('setup.email')} type="email" value={email} onChange={setEmail} autoComplete="email" invalid={!!fields.email} />
        <PasswordField label={t('setup.password')} value={password} onChange={setPassword} autoComplete="new-password" describedBy={meterId} invalid={!!fields.password} />
        <StrengthMeter id={meterId} password={password} username={username} email={email} displayName={displayName} />
        <PasswordField label={t('setup.confirm')} value={confirm} onChange={setConfirm} autoComplete="new-password" invalid={!!fields.confirm} />
        <button type="submit" className="button button--primary button--block" disabled={busy} aria-busy={busy}>
          {busy && <Spinner />}
          {busy ? t('setup.submitting') : t('setup.submit')}
        </button>
      </form>
    </AuthLayout>
  );
}
