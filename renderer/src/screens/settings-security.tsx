import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/dto';
import { useProfile } from '../app/app-context';
import { formatDateTime, formatRelative } from '../lib/format';
import { ChangePasswordForm } from './change-password-form';

/** Change password (new session ID swapped in place) and this profile's sessions with "End session". */
export function SecurityTab() {
  const { t, i18n } = useTranslation(['account', 'common']);
  const { profile, call } = useProfile();
  const [sessions, setSessions] = useState<SessionInfo[]>([]);
  const [changed, setChanged] = useState(false);

  const load = useCallback(async () => {
    const reply = await call('account:sessions', {});
    if (reply.ok) setSessions(reply.data.items);
  }, [call]);

  useEffect(() => {
    void load();
  }, [load, profile.sessionId]);

  async function end(handle: string) {
    const reply = await call('account:revoke-session', { handle });
    if (reply.ok || reply.error.code === 'NOT_FOUND') setSessions((list) => list.filter((s) => s.handle !== handle));
  }

  const now = Date.now();
  const lang = i18n.language;
  const others = sessions.filter((s) => !s.current);
  const current = sessions.find((s) => s.current);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="change-password-title">
        <h2 className="card__title" id="change-password-title">
          {t('settings.security.changeTitle')}
        </h2>
        <p className="form__status form__status--success" role="status">
          {changed ? t('settings.security.changed') : ''}
        </p>
        <ChangePasswordForm
          labels="settings"
          onChanged={() => {
            setChanged(true);
            void load();
          }}
        />
      </section>
      <section className="card" aria-labelledby="sessions-title">
        <h2 className="card__title" id="sessions-title">
          {t('settings.security.sessionsTitle')}
        </h2>
        <ul className="session-list">
          {current && (
            <li className="session-list__item">
              <span className="session-list__name">{t('settings.security.thisSession')}</span>
              <span className="session-list__meta" title={formatDateTime(current.createdAt, lang)}>
                {t('settings.security.started', { when: formatRelative(current.createdAt, now, lang, t('common:justNow')) })}
              </span>
            </li>
          )}
          {others.map((s) => (
            <li key={s.handle} className="session-list__item">
              <span className="session-list__name">
                {t('settings.security.started', { when: formatDateTime(s.createdAt, lang) })}
                {s.locked && <span className="badge">{t('settings.security.lockedBadge')}</span>}
              </span>
              <span className="session-list__meta">{t('settings.security.lastActive', { when: formatRelative(s.lastActivityAt, now, lang, t('common:justNow')) })}</span>
              <button type="button" className="button button--secondary button--small" onClick={() => void end(s.handle)}>
                {t('settings.security.endSession')}
              </button>
            </li>
          ))}
        </ul>
        {others.length === 0 && <p className="card__note">{t('settings.security.noOther')}</p>}
      </section>
    </div>
  );
}
