import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { LockScreen } from '../screens/lock-screen';
import { HomeScreen } from '../screens/home-screen';
import { ChangeRequiredScreen } from '../screens/change-required-screen';
import { AdminConsoleMount } from './admin-entry';
import { useApp, ProfileProvider, useProfile } from './app-context';
import { LazySettings } from './lazy-parts';

/** One profile's subtree: lock screen, required password change, or its current screen. */
export function ProfileView(props: { username: string; visible: boolean; onSwitch: () => void }) {
  return (
    <div className="profile-view" hidden={!props.visible} data-profile={props.username}>
      <ProfileProvider username={props.username}>
        <ProfileScreens visible={props.visible} onSwitch={props.onSwitch} />
      </ProfileProvider>
    </div>
  );
}

function ProfileScreens({ visible, onSwitch }: { visible: boolean; onSwitch: () => void }) {
  const { t } = useTranslation();
  const { controller } = useApp();
  const { profile } = useProfile();
  const logout = () => void controller.requestLogout(profile.username);
  const fallback = <div className="page page--loading" aria-busy="true">{t('loading')}</div>;

  if (profile.status.kind === 'locked') return <LockScreen onSwitch={onSwitch} onLogout={logout} />;
  if (profile.user.mustChangePassword) return <ChangeRequiredScreen onLogout={logout} />;
  switch (profile.screen.name) {
    case 'settings':
      return (
        <Suspense fallback={fallback}>
          <LazySettings visible={visible} />
        </Suspense>
      );
    case 'admin':
      return profile.sessionId ? (
        <AdminConsoleMount
          client={controller.client}
          sessionId={profile.sessionId}
          user={profile.user}
          onClose={() => controller.store.setScreen(profile.username, { name: 'home' })}
          fallback={fallback}
        />
      ) : null;
    default:
      return <HomeScreen visible={visible} />;
  }
}
