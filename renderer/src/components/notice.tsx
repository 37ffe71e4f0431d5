import { useTranslation } from 'react-i18next';
import { useApp } from '../app/app-context';
import type { Profile } from '../app/profile-store';
import { formatTime } from '../lib/format';

/**
 * "Signed out after 15 minutes of inactivity at 10:42": why and when a profile's
 * session ended, one sentence per end reason. Dismissible (which drops the profile
 * from the window's list). In a polite live region, since it arrives on its own.
 */
export function EndedNotice({ profile }: { profile: Profile }) {
  const { t, i18n } = useTranslation();
  const { controller } = useApp();
  if (profile.status.kind !== 'ended') return null;
  const { reason, at } = profile.status;
  const minutes = Math.max(1, Math.round(profile.idleTimeoutMs / 60_000));
  const text = t(`ended.${reason}`, { name: profile.user.displayName, time: formatTime(at, i18n.language), minutes });
  return (
    <div className="notice notice--warning" role="status">
      <span className="notice__icon" aria-hidden="true">i</span>
      <p className="notice__text">{text}</p>
      <button
        type="button"
        className="notice__dismiss"
        aria-label={`${t('dismiss')}: ${text}`}
        onClick={() => controller.dismiss(profile.username)}
      >
        ×
      </button>
    </div>
  );
}
