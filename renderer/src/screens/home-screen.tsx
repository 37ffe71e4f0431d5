import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useProfile } from '../app/app-context';
import { Avatar } from '../components/avatar';
import { LockIcon } from '../components/lock-icon';
import { canOpenAdminConsole } from '../app/admin-entry';
import { formatCountdown, formatDateTime, formatTime } from '../lib/format';
import { useNow } from '../lib/use-now';

/** Within this much of the idle end, Home warns and offers "Stay signed in". */
export const IDLE_WARNING_MS = 60_000;

/**
 * Home: greeting, "This session" (signed in at, the idle rule, a live countdown
 * and a warning in the last minute), the previous sign-in and the failed attempts
 * since (what Unix login prints), links to settings and, with permission, the admin console.
 */
export function HomeScreen({ visible }: { visible: boolean }) {
  const { t, i18n } = useTranslation(['account', 'common']);
  const { controller, info } = useApp();
  const { profile } = useProfile();
  const warningKey = info.sessions?.idleAction === 'lock' ? 'home.warningLock' : 'home.warning';
  const now = useNow(1000, visible);
  const heading = useRef<HTMLHeadingElement>(null);
  const session = profile.session;
  const remaining = session ? session.idleExpiresAt - now : Infinity;
  const warn = remaining <= IDLE_WARNING_MS && remaining > 0;
  const idleMinutes = Math.max(1, Math.round(profile.idleTimeoutMs / 60_000));
  const prev = profile.previousSignIn;
  const lang = i18n.language;

  useEffect(() => {
    if (visible) heading.current?.focus({ preventScroll: true });
  }, [visible]);

  const go = (screen: Parameters<typeof controller.store.setScreen>[1]) => controller.store.setScreen(profile.username, screen);

  return (
    <div className="page">
      <header className="page__header home__header">
        <Avatar name={profile.user.displayName} color={profile.user.avatarColor} size={56} />
        <div className="home__titles">
          <h1 className="page__title" ref={heading} tabIndex={-1}>
            {t('home.greeting', { name: profile.user.displayName })}
          </h1>
          <p className="page__subtitle">{t('home.subtitle')}</p>
        </div>
        <button type="button" className="button button--secondary button--small" onClick={() => void controller.lock(profile.username)}>
          <LockIcon />
          {t('home.lock')}
        </button>
      </header>

      {warn && (
        <div className="notice notice--warning notice--action" role="alert">
          <span className="notice__icon" aria-hidden="true">!</span>
          <p className="notice__text">{t(warningKey, { time: formatCountdown(remaining) })}</p>
          <button type="button" className="button button--primary button--small" onClick={() => void controller.activity(profile.username)}>
            {t('home.staySignedIn')}
          </button>
        </div>
      )}

      <div className="cards">
        <section className="card" aria-labelledby={`session-${profile.username}`}>
          <h2 className="card__title" id={`session-${profile.username}`}>
            {t('home.sessionCard')}
          </h2>
          <dl className="facts">
            {session && (
              <div className="facts__row">
                <dt>{t('home.signedInAt')}</dt>
                <dd title={formatDateTime(session.createdAt, lang)}>{formatTime(session.createdAt, lang)}</dd>
              </div>
            )}
            <div className="facts__row">
              <dt>{t('home.idleRule', { minutes: t('common:minutes', { count: idleMinutes }) })}</dt>
              <dd aria-live={remaining <= IDLE_WARNING_MS ? 'polite' : 'off'} aria-atomic="true">
                {remaining <= IDLE_WARNING_MS ? t('home.endsIn', { time: formatCountdown(remaining) }) : ''}
              </dd>
            </div>
          </dl>
        </section>

        <section className="card" aria-labelledby={`last-${profile.username}`}>
          <h2 className="card__title" id={`last-${profile.username}`}>
            {t('home.lastSignIn')}
          </h2>
          {prev?.at != null ? (
            <p className="card__big" title={formatDateTime(prev.at, lang)}>{formatDateTime(prev.at, lang)}</p>
          ) : (
            <p className="card__big">{t('home.firstSignIn')}</p>
          )}
          <p className={prev && prev.failedAttempts > 0 ? 'card__note card__note--warning' : 'card__note'}>
            {prev && prev.failedAttempts > 0 && <span aria-hidden="true">⚠ </span>}
            {t('home.failedSince', { count: prev?.failedAttempts ?? 0 })}
          </p>
        </section>
      </div>

      <nav className="links" aria-label={t('settings.title')}>
        <button type="button" className="link-card" onClick={() => go({ name: 'settings', tab: 'profile' })}>
          <span className="link-card__title">{t('home.settings')}</span>
          <span aria-hidden="true">›</span>
        </button>
        {canOpenAdminConsole(profile.user) && (
          <button type="button" className="link-card" onClick={() => go({ name: 'admin' })}>
            <span className="link-card__title">{t('home.admin')}</span>
            <span aria-hidden="true">›</span>
          </button>
        )}
      </nav>
    </div>
  );
}
