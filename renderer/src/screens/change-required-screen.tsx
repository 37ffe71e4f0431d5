import { useTranslation } from 'react-i18next';
import { useProfile } from '../app/app-context';
import { AuthLayout } from '../components/auth-layout';
import { ChangePasswordForm } from './change-password-form';

/** PASSWORD_CHANGE_REQUIRED: straight here after sign-in, before anything else. */
export function ChangeRequiredScreen({ onLogout }: { onLogout: () => void }) {
  const { t } = useTranslation('auth');
  const { profile } = useProfile();
  return (
    <AuthLayout title={t('changeRequired.title')} subtitle={t('changeRequired.body')}>
      <p className="lock__username">{profile.user.displayName}</p>
      <ChangePasswordForm labels="required" onChanged={() => undefined} />
      <button type="button" className="button button--ghost button--block" onClick={onLogout}>
        {t('changeRequired.logout')}
      </button>
    </AuthLayout>
  );
}
