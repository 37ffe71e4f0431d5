import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorBody } from '../../../shared/errors';
import { useApp, useProfile } from '../app/app-context';
import { AlertBanner } from '../components/alert-banner';
import { AuthLayout, Spinner } from '../components/auth-layout';
import { Avatar } from '../components/avatar';
import { PasswordField } from '../components/password-field';
import { useErrorText } from '../lib/error-text';
import { formatCountdown, formatTime } from '../lib/format';
import { useNow } from '../lib/use-now';
import { ThrottleStatus } from '../components/throttle-status';

/**
 * A locked profile: large avatar, name, why and when it locked, its password.
 * Wrong passwords count toward the throttle (the core's rule), so THROTTLED shows
 * the same countdown as sign-in. "Switch profile" opens the switcher; "Log out" ends it.
 */
export function LockScreen({ onSwitch, onLogout }: { onSwitch: () => void; onLogout: () => void }) {
  const { t, i18n } = useTranslation(['auth', 'common']);
  const errorText = useErrorText();
  const { controller, info } = useApp();
  const { profile } = useProfile();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [throttledUntil, setThrottledUntil] = useState<number | null>(null);
  const now = useNow(250, throttledUntil !== null);
  const input = useRef<HTMLInputElement>(null);
  const throttled = throttledUntil !== null && now < throttledUntil;

  useEffect(() => {
    if (throttledUntil !== null && now >= throttledUntil) setThrottledUntil(null);
  }, [now, throttledUntil]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || throttled || !password) return;
    setBusy(true);
    setError(null);
    const reply = await controller.unlock(profile.username, password);
    setBusy(false);
    setPassword('');
    if (reply.ok) return;
    setError(reply.error);
    if (reply.error.code === 'THROTTLED') setThrottledUntil(Date.now() + (reply.error.retryAfterMs ?? 30_000));
    input.current?.focus();
  }

  /** Remembered profiles may unlock through the keychain: a fresh sign-in that replaces the locked session. */
  async function keychainUnlock() {
    setBusy(true);
    setError(null);
    const reply = await controller.client.call('auth:login-remembered', { username: profile.username });
    setBusy(false);
    if (reply.ok) await controller.signedIn(reply.data, true, true);
    else setError(reply.error);
  }

  const status = profile.status;
  const why =
    status.kind === 'locked'
      ? t(`common:locked.${status.reason}`, {
          time: formatTime(status.at, i18n.language),
          minutes: Math.max(1, Math.round(profile.idleTimeoutMs / 60_000)),
        })
      : '';

  return (
    <AuthLayout
      title={t('lock.title', { name: profile.user.displayName })}
      subtitle={why}
      mark={<Avatar name={profile.user.displayName} color={profile.user.avatarColor} size={88} />}
    >
      <p className="lock__username">{profile.user.username}</p>
      <form className="form" onSubmit={submit} noValidate aria-label={t('lock.unlock')}>
        <AlertBanner message={error ? errorText(error) : null} />
        <PasswordField label={t('login.password')} value={password} onChange={setPassword} autoComplete="current-password" autoFocus inputRef={input} invalid={error?.code === 'INVALID_CREDENTIALS'} />
        <button type="submit" className="button button--primary button--block" disabled={busy || throttled} aria-busy={busy}>
          {busy && <Spinner />}
          {throttled ? (
            <span>{t('login.tryAgainIn', { time: formatCountdown((throttledUntil ?? now) - now) })}</span>
          ) : busy ? (
            t('lock.unlocking')
          ) : (
            t('lock.unlock')
          )}
        </button>
        <ThrottleStatus until={throttledUntil} now={now} />
        {profile.remembered && info.keychain.available && (
          <button type="button" className="button button--secondary button--block" disabled={busy} onClick={() => void keychainUnlock()}>
            {t('lock.unlockKeychain')}
          </button>
        )}
        <div className="form__secondary">
          <button type="button" className="button button--ghost" onClick={onSwitch}>
            {t('lock.switchProfile')}
          </button>
          <button type="button" className="button button--ghost" onClick={onLogout}>
            {t('lock.logout')}
          </button>
        </div>
      </form>
    </AuthLayout>
  );
}
