import type { ProfileState } from '../../shared/dto';

/**
 * The Account menu as data: one pure function from the focused window's signed-in
 * profiles (`core.profilesOf(senderId)`, in login order) and its active profile
 * (`core.activeProfileOf(senderId)`) to the items of the menu.
 *
 * No Electron import: the native menu (account-menu.ts) is a thin conversion of
 * this model, and the browser preview draws the same model server-side, so the two
 * can never disagree about labels, accelerators or enabled states.
 *
 * Choosing an item sends its `command` to the window as the `menu:command` event,
 * except 'lock-all', which main also runs itself (core.lockAll('lock-all')): the
 * renderer only refreshes. The model never carries a session ID: a menu is
 * drawn outside the page and must not hold bearer secrets.
 */

/** The payload of the `menu:command` event. */
export type AccountMenuCommand =
  | { command: 'switch-profile'; username: string }
  | { command: 'add-profile' }
  | { command: 'lock' }
  | { command: 'lock-all' }
  | { command: 'logout' };

export type AccountMenuCommandName = AccountMenuCommand['command'];

export const ACCOUNT_MENU_COMMANDS: readonly AccountMenuCommandName[] = [
  'switch-profile',
  'add-profile',
  'lock',
  'lock-all',
  'logout',
];

export type AccountMenuItem =
  | {
      kind: 'profile';
      /** Stable across rebuilds: 'profile:<handle>'. */
      id: string;
      label: string;
      /** Secondary text (the username when the label is a display name; "Locked"). */
      sublabel?: string;
      enabled: boolean;
      /** Radio item: true on the window's active profile only. */
      checked: boolean;
      locked: boolean;
      command: AccountMenuCommand;
    }
  | {
      kind: 'action';
      id: 'add-profile' | 'lock' | 'lock-all' | 'logout';
      label: string;
      /** Electron accelerator syntax ('CmdOrCtrl+L'); the preview renders it per platform. */
      accelerator?: string;
      enabled: boolean;
      command: AccountMenuCommand;
    }
  | { kind: 'separator'; id: string };

export interface AccountMenuModel {
  label: string;
  items: AccountMenuItem[];
}

/** Words of the menu; English by default, replaceable as a whole or in part. */
export interface AccountMenuLabels {
  menu: string;
  addProfile: string;
  lock: string;
  lockAll: string;
  logout: string;
  locked: string;
  noProfiles: string;
}

export const DEFAULT_ACCOUNT_MENU_LABELS: Readonly<AccountMenuLabels> = Object.freeze({
  menu: 'Account',
  addProfile: 'Add Profile…',
  lock: 'Lock',
  lockAll: 'Lock All',
  logout: 'Log Out',
  locked: 'Locked',
  noProfiles: 'Not signed in',
});

/**
 * The Account menu's words in the languages the app ships (English and 简体中文,
 * like the renderer's locales). A small table of its own: electron/ never imports
 * the renderer's i18n (lint), and a native menu is drawn outside the page anyway.
 */
export const ZH_CN_ACCOUNT_MENU_LABELS: Readonly<AccountMenuLabels> = Object.freeze({
  menu: '账户',
  addProfile: '添加个人资料…',
  lock: '锁定',
  lockAll: '全部锁定',
  logout: '退出登录',
  locked: '已锁定',
  noProfiles: '未登录',
});

/**
 * Labels for a BCP 47 locale or an Accept-Language list ("zh-TW,zh;q=0.9,en;q=0.8"):
 * the first tag the app knows decides; any Chinese variant gets 简体中文 (the one
 * Chinese shipped, as in the renderer); anything else, or nothing, gets English.
 */
export function accountMenuLabelsFor(locales: string | readonly string[] | null | undefined): Readonly<AccountMenuLabels> {
  const list = typeof locales === 'string' ? locales.split(',') : (locales ?? []);
  for (const entry of list) {
    const tag = (entry.split(';')[0] ?? '').trim().toLowerCase();
    if (tag.startsWith('zh')) return ZH_CN_ACCOUNT_MENU_LABELS;
    if (tag.startsWith('en')) return DEFAULT_ACCOUNT_MENU_LABELS;
  }
  return DEFAULT_ACCOUNT_MENU_LABELS;
}

export const ACCOUNT_MENU_ACCELERATORS = Object.freeze({
  lock: 'CmdOrCtrl+L',
  logout: 'CmdOrCtrl+Shift+Q',
});

export interface AccountMenuOptions {
  labels?: Partial<AccountMenuLabels>;
  /** settings.maxProfilesPerWindow: "Add Profile…" is disabled once the window holds this many. */
  maxProfiles?: number;
}

/**
 * Rules:
 * - one radio item per profile, checked on `activeHandle`; a locked profile says so
 *   in its sublabel and can still be chosen (it opens on its lock screen);
 * - with no profile, a disabled "Not signed in" placeholder, and every action disabled;
 * - "Lock" and "Log Out" act on the active profile, so they need one; "Lock" is
 *   disabled when it is already locked (Log Out is not: logging out works while locked);
 * - "Lock All" is enabled while any profile of the window is unlocked;
 * - "Add Profile…" is enabled while at least one profile is signed in and the window
 *   is below `maxProfiles` (with none signed in, the login screen is already showing).
 */
export function buildAccountMenuModel(
  profiles: readonly ProfileState[],
  activeHandle: string | null,
  options: AccountMenuOptions = {},
): AccountMenuModel {
  const labels: AccountMenuLabels = { ...DEFAULT_ACCOUNT_MENU_LABELS, ...options.labels };
  const active = profiles.find((p) => p.handle === activeHandle) ?? null;
  const anyone = profiles.length > 0;
  const belowMax = options.maxProfiles === undefined || profiles.length < options.maxProfiles;

  const items: AccountMenuItem[] = anyone
    ? profiles.map((p) => profileItem(p, p.handle === active?.handle, labels))
    : [
        {
          kind: 'profile',
          id: 'profile:none',
          label: labels.noProfiles,
          enabled: false,
          checked: false,
          locked: false,
          command: { command: 'add-profile' },
        },
      ];

  items.push(
    { kind: 'separator', id: 'separator:profiles' },
    {
      kind: 'action',
      id: 'add-profile',
      label: labels.addProfile,
      enabled: anyone && belowMax,
      command: { command: 'add-profile' },
    },
    { kind: 'separator', id: 'separator:actions' },
    {
      kind: 'action',
      id: 'lock',
      label: labels.lock,
      accelerator: ACCOUNT_MENU_ACCELERATORS.lock,
      enabled: active !== null && !active.locked,
      command: { command: 'lock' },
    },
    {
      kind: 'action',
      id: 'lock-all',
      label: labels.lockAll,
      enabled: profiles.some((p) => !p.locked),
      command: { command: 'lock-all' },
    },
    { kind: 'separator', id: 'separator:logout' },
    {
      kind: 'action',
      id: 'logout',
      label: labels.logout,
      accelerator: ACCOUNT_MENU_ACCELERATORS.logout,
      enabled: active !== null,
      command: { command: 'logout' },
    },
  );
  return { label: labels.menu, items };
}

function profileItem(p: ProfileState, checked: boolean, labels: AccountMenuLabels): AccountMenuItem {
  const name = p.displayName.trim() === '' ? p.username : p.displayName;
  const parts = [name === p.username ? null : p.username, p.locked ? labels.locked : null].filter(
    (s): s is string => s !== null,
  );
  return {
    kind: 'profile',
    id: `profile:${p.handle}`,
    label: name,
    ...(parts.length > 0 ? { sublabel: parts.join(' · ') } : {}),
    enabled: true,
    checked,
    locked: p.locked,
    command: { command: 'switch-profile', username: p.username },
  };
}
