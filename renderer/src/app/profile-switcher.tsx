import * as Menu from '@radix-ui/react-dropdown-menu';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../components/avatar';
import { LockIcon } from '../components/lock-icon';
import { canOpenAdminConsole } from './admin-entry';
import { useApp } from './app-context';
import { liveProfiles, type Profile } from './profile-store';

export interface ProfileSwitcherProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onLogout: (username: string) => void;
}

/**
 * The avatar button and its menu (Radix DropdownMenu: arrows move, Enter chooses,
 * Escape closes, focus returns to the button). Every profile of this window with
 * its state, then "Add profile…", "Lock", "Log out". Ended profiles stay listed
 * with their reason until dismissed or signed in again.
 */
export function ProfileSwitcher({ open, onOpenChange, onLogout }: ProfileSwitcherProps) {
  const { t } = useTranslation();
  const { controller, info, state } = useApp();
  const active = state.profiles.find((p) => p.username === state.activeUsername) ?? null;
  // Defensive: a host answering an older AppInfo (no `sessions`) still gets a working menu.
  const max = Math.min(info.sessions?.maxProfilesPerWindow ?? Number.POSITIVE_INFINITY, controller.maxProfiles);
  const full = liveProfiles(state).length >= max;
  const shown = active ?? state.profiles[0];
  if (!shown) return null;

  return (
    // modal={false}: no scroll lock, whose injected <style> the CSP (style-src 'self') refuses.
    <Menu.Root open={open} onOpenChange={onOpenChange} modal={false}>
      <Menu.Trigger className="switcher__button">
        <Avatar name={shown.user.displayName} color={shown.user.avatarColor} size={32} />
        {/* Named by its content, no aria-label: the hidden sentence for screen readers, the name for the eye. */}
        <span className="visually-hidden">{t('switcher.button', { name: shown.user.displayName })}</span>
        <span className="switcher__name" aria-hidden="true">
          {shown.user.displayName}
        </span>
        <span className="switcher__caret" aria-hidden="true">▾</span>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content className="menu" align="end" sideOffset={6} aria-label={t('switcher.label')}>
          <Menu.Label className="menu__label">{t('switcher.label')}</Menu.Label>
          {state.profiles.map((p) => (
            <ProfileItem key={p.username} profile={p} active={p.username === state.activeUsername && !state.adding} />
          ))}
          <Menu.Separator className="menu__separator" />
          <Menu.Item className="menu__item" disabled={full} onSelect={() => controller.startAdding()}>
            {t('switcher.addProfile')}
          </Menu.Item>
          {full && <p className="menu__note">{t('switcher.limitReached', { max })}</p>}
          {active?.status.kind === 'active' && canOpenAdminConsole(active.user) && (
            <Menu.Item className="menu__item" onSelect={() => controller.store.setScreen(active.username, { name: 'admin' })}>
              {t('switcher.adminConsole')}
            </Menu.Item>
          )}
          <Menu.Item
            className="menu__item"
            disabled={active?.status.kind !== 'active'}
            onSelect={() => active && void controller.lock(active.username)}
          >
            {t('switcher.lock')}
            <span className="menu__shortcut" aria-hidden="true">Ctrl+L</span>
          </Menu.Item>
          <Menu.Item
            className="menu__item"
            disabled={!active || active.status.kind === 'ended'}
            onSelect={() => active && onLogout(active.username)}
          >
            {t('switcher.logout')}
            <span className="menu__shortcut" aria-hidden="true">Ctrl+Shift+Q</span>
          </Menu.Item>
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}

function ProfileItem({ profile, active }: { profile: Profile; active: boolean }) {
  const { t } = useTranslation();
  const { controller } = useApp();
  const state =
    profile.status.kind === 'ended'
      ? t(`endedShort.${profile.status.reason}`)
      : profile.status.kind === 'locked'
        ? t('switcher.locked')
        : active
          ? t('switcher.active')
          : '';
  return (
    <Menu.Item
      className={active ? 'menu__item menu__profile menu__profile--active' : 'menu__item menu__profile'}
      onSelect={() => void controller.switchTo(profile.username)}
      aria-current={active || undefined}
    >
      <Avatar name={profile.user.displayName} color={profile.user.avatarColor} size={32} />
      <span className="menu__profile-text">
        <span className="menu__profile-name">{profile.user.displayName}</span>
        {state && <span className={`menu__profile-state menu__profile-state--${profile.status.kind}`}>{state}</span>}
      </span>
      {profile.status.kind === 'locked' && <LockIcon size={12} />}
      {active && <span className="menu__check" aria-hidden="true">✓</span>}
    </Menu.Item>
  );
}
