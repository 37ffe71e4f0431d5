import * as Tabs from '@radix-ui/react-tabs';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useProfile } from '../app/app-context';
import type { SettingsTab } from '../app/profile-store';
import { PreferencesTab } from './settings-preferences';
import { ProfileTab } from './settings-profile';
import { SecurityTab } from './settings-security';

const TABS: SettingsTab[] = ['profile', 'security', 'preferences'];

/** Account settings in Radix Tabs (arrow keys move between tabs); the tab is kept per profile. */
export function SettingsScreen({ visible }: { visible: boolean }) {
  const { t } = useTranslation('account');
  const { controller } = useApp();
  const { profile } = useProfile();
  const tab = profile.screen.name === 'settings' ? profile.screen.tab : 'profile';
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (visible) heading.current?.focus({ preventScroll: true });
  }, [visible]);

  return (
    <div className="page">
      <header className="page__header page__header--row">
        <button type="button" className="button button--ghost button--small" onClick={() => controller.store.setScreen(profile.username, { name: 'home' })}>
          <span aria-hidden="true">‹ </span>
          {t('settings.back')}
        </button>
        <h1 className="page__title" ref={heading} tabIndex={-1}>
          {t('settings.title')}
        </h1>
      </header>
      <Tabs.Root
        className="tabs"
        value={tab}
        onValueChange={(value) => controller.store.setScreen(profile.username, { name: 'settings', tab: value as SettingsTab })}
      >
        <Tabs.List className="tabs__list" aria-label={t('settings.title')}>
          {TABS.map((name) => (
            <Tabs.Trigger key={name} value={name} className="tabs__trigger">
              {t(`settings.tabs.${name}`)}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="profile" className="tabs__panel">
          <ProfileTab />
        </Tabs.Content>
        <Tabs.Content value="security" className="tabs__panel">
          <SecurityTab />
        </Tabs.Content>
        <Tabs.Content value="preferences" className="tabs__panel">
          <PreferencesTab />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
