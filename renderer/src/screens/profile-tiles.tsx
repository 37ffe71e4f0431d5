import { Suspense, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RememberedProfile } from '../../../shared/dto';
import { Avatar } from '../components/avatar';
import { LazyConfirmDialog } from '../app/lazy-parts';
import { formatDateTime, formatRelative } from '../lib/format';

export interface ProfileTilesProps {
  profiles: RememberedProfile[];
  busy: boolean;
  onSignIn: (profile: RememberedProfile) => void;
  onForget: (profile: RememberedProfile) => Promise<void>;
}

/** Remembered profiles: click or Enter signs in through the keychain; "Forget" asks first. */
export function ProfileTiles({ profiles, busy, onSignIn, onForget }: ProfileTilesProps) {
  const { t } = useTranslation('auth');
  const [forgetting, setForgetting] = useState<RememberedProfile | null>(null);
  const headingId = useId();
  return (
    <section className="tiles" aria-labelledby={headingId}>
      <h2 id={headingId} className="tiles__heading">
        {t('login.rememberedLabel')}
      </h2>
      <ul className="tiles__list">
        {profiles.map((p) => (
          <Tile key={p.username} profile={p} busy={busy} onSignIn={onSignIn} onForget={() => setForgetting(p)} />
        ))}
      </ul>
      <p className="tiles__divider">
        <span>{t('login.orPassword')}</span>
      </p>
      {forgetting !== null && (
        <Suspense fallback={null}>
          <LazyConfirmDialog
            open
            onOpenChange={(open) => !open && setForgetting(null)}
            title={t('login.forgetTitle', { name: forgetting.displayName })}
            body={t('login.forgetBody', { name: forgetting.displayName })}
            confirmLabel={t('login.forgetConfirm', { name: forgetting.displayName })}
            danger
            onConfirm={() => {
              const target = forgetting;
              setForgetting(null);
              void onForget(target);
            }}
          />
        </Suspense>
      )}
    </section>
  );
}

function Tile(props: { profile: RememberedProfile; busy: boolean; onSignIn: (p: RememberedProfile) => void; onForget: () => void }) {
  const { t, i18n } = useTranslation(['auth', 'common']);
  const { profile } = props;
  const lastId = useId();
  const now = Date.now();
  const last = profile.lastLoginAt;
  return (
    <li className="tile">
      <button
        type="button"
        className="tile__main"
        onClick={() => props.onSignIn(profile)}
        disabled={props.busy}
        aria-describedby={lastId}
      >
        {/* Named by its content (no aria-label): the sentence for screen readers, the name for the eye. */}
        <span className="visually-hidden">{t('login.tileSignIn', { name: profile.displayName })}</span>
        <Avatar name={profile.displayName} color={profile.avatarColor} size={40} />
        <span className="tile__text" aria-hidden="true">
          <span className="tile__name">{profile.displayName}</span>
          <span className="tile__meta" id={lastId} title={last ? formatDateTime(last, i18n.language) : undefined}>
            {last ? t('login.tileLastSignIn', { when: formatRelative(last, now, i18n.language, t('common:justNow')) }) : t('login.tileNeverSignedIn')}
          </span>
        </span>
        <span className="tile__chevron" aria-hidden="true">›</span>
      </button>
      <button type="button" className="tile__forget" onClick={props.onForget} aria-label={t('login.forgetLabel', { name: profile.displayName })}>
        {t('login.forget')}
      </button>
    </li>
  );
}
