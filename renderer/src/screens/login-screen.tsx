import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RememberedProfile } from '../../../shared/dto';
import type { ErrorBody } from '../../../shared/errors';
import { useApp } from '../app/app-context';
import { liveProfiles } from '../app/profile-store';
import { AlertBanner } from '../components/alert-banner';
import { AuthLayout, Spinner } from '../components/auth-layout';
import { EndedNotice } from '../components/notice';
import { PasswordField } from '../components/password-field';
import { TextField } from '../components/text-field';
import { useErrorText } from '../lib/error-text';
import { formatCountdown } from '../lib/format';
import { useNow } from '../lib/use-now';
import { ThrottleStatus } from '../components/throttle-status';
import { ProfileTiles } from './profile-tiles';

/**
 * The sign-in screen: notices for ended profiles, remembered profile tiles
 * (one-click keychain sign-in), then the form. Also "Add profile…" over a window
 * that already holds profiles: nobody is signed out by opening it.
 */
export function LoginScreen({ prefill }: { prefill?: string }) {
  const { t } = useTranslation('auth');
  const { controller, info, state } = useApp();
  const errorText = useErrorText();
  const [remembered, setRemembered] = useState<RememberedProfile[]>([]);
  const [identifier, setIdentifier] = useState(prefill ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [throttledUntil, setThrottledUntil] = useState<number | null>(null);
  const now = useNow(250, throttledUntil !== null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    void controller.rememberedProfiles().then((items) => live && setRemembered(items));
    return () => {
      live = false;
    };
  }, [controller]);

  useEffect(() => {
    if (throttledUntil !== null && now >= throttledUntil) setThrottledUntil(null);
  }, [now, throttledUntil]);

  const live = liveProfiles(state);
  const ended = state.profiles.filter((p) => p.status.kind === 'ended');
  const adding = live.length > 0;
  const back = adding ? (state.profiles.find((p) => p.username === state.activeUsername && p.status.kind !== 'ended') ?? live.at(-1)) : undefined;
  const throttled = throttledUntil !== null && now < throttledUntil;

  function fail(e: ErrorBody) {
    controller.noteSignInError(e.code);
    setError(e);
    if (e.code === 'THROTTLED') setThrottledUntil(Date.now() + (e.retryAfterMs ?? 30_000));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || throttled) return;
    if (!identifier.trim() || !password) {
      setError({ code: 'INVALID_CREDENTIALS', message: '' });
      return;
    }
    setBusy(true);
    setError(null);
    const reply = await controller.client.call('auth:login', {
      username: identifier.trim(),
      password,
      remember: remember && info.keychain.available,
    });
    setBusy(false);
    if (reply.ok) {
      setPassword('');
      await controller.signedIn(reply.data);
      return;
    }
    setPassword('');
    fail(reply.error);
    passwordRef.current?.focus();
  }

  async function tileSignIn(profile: RememberedProfile) {
    if (busy) return;
    setBusy(true);
    setError(null);
    const reply = await controller.client.call('auth:login-remembered', { username: profile.username });
    setBusy(false);
    if (reply.ok) {
      await controller.signedIn(reply.data, true);
      return;
    }
    if (reply.error.code === 'NOT_REMEMBERED') setRemembered((list) => list.filter((p) => p.username !== profile.username));
    if (reply.error.code === 'NOT_REMEMBERED' || reply.error.code === 'KEYCHAIN_UNAVAILABLE') setIdentifier(profile.username);
    fail(reply.error);
  }

  async function forget(profile: RememberedProfile) {
    await controller.client.call('profiles:forget', { username: profile.username });
    setRemembered((list) => list.filter((p) => p.username !== profile.username));
  }

  const message = errorText(error);
  const notices = ended.map((p) => <EndedNotice key={p.username} profile={p} />);

  return (
    <AuthLayout
      title={adding ? t('login.addTitle') : t('login.title')}
      subtitle={adding ? t('login.addSubtitle') : t('login.subtitle')}
      top={notices.length > 0 ? <div className="auth__notices">{notices}</div> : undefined}
    >
      {remembered.length > 0 && (
        <ProfileTiles profiles={remembered} busy={busy} onSignIn={tileSignIn} onForget={forget} />
      )}
      <form className="form" onSubmit={submit} noValidate aria-label={t('login.title')}>
        <AlertBanner message={message} />
        <TextField
          label={t('login.identifier')}
          value={identifier}
          onChange={setIdentifier}
          autoComplete="username"
          autoFocus={remembered.length === 0 && !prefill}
          name="username"
        />
        <PasswordField
          label={t('login.password')}
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          autoFocus={!!prefill}
          inputRef={passwordRef}
          name="password"
          invalid={error?.code === 'INVALID_CREDENTIALS'}
        />
        {info.keychain.available ? (
          <div className="check">
            <input id="remember" type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} aria-describedby="remember-hint" />
            <label htmlFor="remember">{t('login.remember')}</label>
            <p id="remember-hint" className="check__hint">{t('login.rememberHint')}</p>
          </div>
        ) : (
          <p className="muted-note">{t('login.rememberUnavailableGeneric')}</p>
        )}
        <button type="submit" className="button button--primary button--block" disabled={busy || throttled} aria-busy={busy}>
          {busy && <Spinner />}
          {throttled ? (
            <span>{t('login.tryAgainIn', { time: formatCountdown((throttledUntil ?? now) - now) })}</span>
          ) : busy ? (
            t('login.submitting')
          ) : (
            t('login.submit')
          )}
        </button>
        <ThrottleStatus until={throttledUntil} now={now} />
        {back && (
          <button type="button" className="button button--ghost button--block" onClick={() => void controller.switchTo(back.username)}>
            {t('login.backToProfiles', { name: back.user.displayName })}
          </button>
        )}
      </form>
    </AuthLayout>
  );
}
