import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { resolveLanguage, systemLanguages } from '../i18n/i18n-setup';
import { AppMark } from '../components/auth-layout';
import { LoginScreen } from '../screens/login-screen';
import { SetupScreen } from '../screens/setup-screen';
import { useActivityHeartbeat } from './activity-heartbeat';
import { ChangeAnnouncer } from './change-announcer';
import { useApp } from './app-context';
import { LazyLogoutDialog, LazyProfileSwitcher, preloadParts } from './lazy-parts';
import { ProfileView } from './profile-view';

/**
 * The window: first run, or the top bar (app name, profile switcher) over either
 * the sign-in form or the profiles. Every profile that still holds a session keeps
 * its own subtree mounted and hidden while another is shown, so switching is
 * instant and each keeps its screen, tab and typed text.
 */
export function WindowFrame({ onSetupDone }: { onSetupDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { controller, info, state } = useApp();
  const [switcherOpen, setSwitcherOpen] = useState(false);
  const active = state.profiles.find((p) => p.username === state.activeUsername) ?? null;
  const showLogin = state.adding || active === null || active.status.kind === 'ended';
  const heartbeatFor = !showLogin && active?.status.kind === 'active' ? active.username : null;
  useActivityHeartbeat(controller, heartbeatFor);
  useEffect(() => preloadParts(), []);

  // Theme and language follow the shown profile's preferences, else the OS.
  const prefs = showLogin ? null : active?.prefs ?? null;
  useEffect(() => {
    const root = document.documentElement;
    if (prefs && prefs.theme !== 'system') root.dataset.theme = prefs.theme;
    else delete root.dataset.theme;
    const language = resolveLanguage(prefs?.locale, systemLanguages());
    if (i18n.language !== language) void i18n.changeLanguage(language);
    root.lang = language;
  }, [prefs, i18n]);

  if (info.setupRequired) {
    return (
      <main className="window">
        <SetupScreen onDone={onSetupDone} />
      </main>
    );
  }

  return (
    <div className="window">
      {state.profiles.length > 0 && (
        <header className="topbar">
          <div className="topbar__brand">
            <AppMark />
            <span>{t('appName')}</span>
          </div>
          <Suspense fallback={<span className="switcher__placeholder" />}>
            <LazyProfileSwitcher open={switcherOpen} onOpenChange={setSwitcherOpen} onLogout={(u) => void controller.requestLogout(u)} />
          </Suspense>
        </header>
      )}
      <main className="window__content">
        {showLogin && <LoginScreen key={active?.status.kind === 'ended' && !state.adding ? `again-${active.username}` : 'login'} prefill={active?.status.kind === 'ended' && !state.adding ? active.username : undefined} />}
        {state.profiles
          .filter((p) => p.status.kind !== 'ended')
          .map((p) => (
            <ProfileView
              key={p.username}
              username={p.username}
              visible={!showLogin && p.username === state.activeUsername}
              onSwitch={() => setSwitcherOpen(true)}
            />
          ))}
      </main>
      {state.pendingLogout !== null && (
        <Suspense fallback={null}>
          <LazyLogoutDialog />
        </Suspense>
      )}
      <ChangeAnnouncer />
    </div>
  );
}
