import { useTranslation } from 'react-i18next';
import { formatTime } from '../lib/format';
import { useApp } from './app-context';

/**
 * A polite live region for changes that arrive on their own: a profile signed out
 * or locked (idle, an administrator, another window). It speaks for profiles that
 * are not on screen too, which otherwise only the switcher would show.
 */
export function ChangeAnnouncer() {
  const { t, i18n } = useTranslation();
  const { state } = useApp();
  const profile = state.profiles.find((p) => p.username === state.lastChange?.username);
  let text = '';
  if (profile) {
    const minutes = Math.max(1, Math.round(profile.idleTimeoutMs / 60_000));
    const name = profile.user.displayName;
    if (profile.status.kind === 'ended') {
      text = t(`ended.${profile.status.reason}`, { name, time: formatTime(profile.status.at, i18n.language), minutes });
    } else if (profile.status.kind === 'locked') {
      text = `${t('switcher.locked')}: ${name}. ${t(`locked.${profile.status.reason}`, { time: formatTime(profile.status.at, i18n.language), minutes })}`;
    }
  }
  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {text}
    </div>
  );
}
