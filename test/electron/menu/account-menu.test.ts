import { describe, expect, it } from 'vitest';
import type { ProfileState } from '../../../shared/dto';
import { AccountMenuController, applicationMenuTemplate } from '../../../electron/menu/account-menu';
import { buildAccountMenuModel, type AccountMenuCommand } from '../../../electron/menu/account-menu-model';
import { FakeMenuStatic } from '../../support/fake-electron';

const alice: ProfileState = { handle: 'ha', username: 'alice', displayName: 'Alice', avatarColor: '#123456', locked: false };
const bob: ProfileState = { handle: 'hb', username: 'bob', displayName: 'Bob', avatarColor: '#654321', locked: true };

describe('native Account menu: a thin conversion of the model', () => {
  it('maps items one to one: radio profiles, accelerators, enabled, separators', () => {
    const chosen: AccountMenuCommand[] = [];
    const model = buildAccountMenuModel([alice, bob], 'ha');
    const template = applicationMenuTemplate(model, { platform: 'linux', appName: 'Local Accounts', onCommand: (c) => chosen.push(c) });
    const account = template.find((m) => m.id === 'account');
    const items = (account?.submenu ?? []) as Electron.MenuItemConstructorOptions[];
    expect(account?.label).toBe('Account');
    expect(items.map((i) => [i.id, i.type ?? 'normal', i.label, i.enabled, i.checked, i.accelerator])).toEqual(
      model.items.map((m) =>
        m.kind === 'separator'
          ? [m.id, 'separator', undefined, undefined, undefined, undefined]
          : [m.id, m.kind === 'profile' ? 'radio' : 'normal', m.label, m.enabled, m.kind === 'profile' ? m.checked : undefined, m.kind === 'action' ? m.accelerator : undefined],
      ),
    );
    for (const i of items) i.click?.({} as never, undefined, {} as never);
    expect(chosen).toEqual(model.items.flatMap((m) => (m.kind === 'separator' ? [] : [m.command])));
  });

  it('follows platform conventions: the app menu first on macOS, File elsewhere; no View (no reload/devtools)', () => {
    const model = buildAccountMenuModel([], null);
    const mac = applicationMenuTemplate(model, { platform: 'darwin', appName: 'Local Accounts', onCommand: () => {} });
    const linux = applicationMenuTemplate(model, { platform: 'linux', appName: 'Local Accounts', onCommand: () => {} });
    expect(mac.map((m) => m.role ?? m.id)).toEqual(['appMenu', 'editMenu', 'account', 'windowMenu']);
    expect(mac[0]?.label).toBe('Local Accounts');
    expect(linux.map((m) => m.role ?? m.id)).toEqual(['fileMenu', 'editMenu', 'account', 'windowMenu']);
    expect([...mac, ...linux].some((m) => m.role === 'viewMenu' || m.role === 'reload' || m.role === 'toggleDevTools')).toBe(false);
  });

  it('the controller rebuilds on the focused window changes only, and routes commands to it', () => {
    const Menu = new FakeMenuStatic();
    const listeners: ((id: number) => void)[] = [];
    const profiles = new Map<number, ProfileState[]>([[1, [alice]], [2, [bob]]]);
    let focused: number | null = 1;
    const sent: [number, AccountMenuCommand][] = [];
    const controller = new AccountMenuController({
      Menu,
      core: {
        profilesOf: (id) => profiles.get(id) ?? [],
        activeProfileOf: (id) => profiles.get(id)?.[0]?.handle ?? null,
        onProfilesChanged: (l) => {
          listeners.push(l);
          return () => listeners.splice(listeners.indexOf(l), 1);
        },
      },
      platform: 'linux',
      appName: 'Local Accounts',
      maxProfiles: 5,
      focusedSenderId: () => focused,
      onCommand: (id, c) => sent.push([id, c]),
    });
    controller.start();
    expect(Menu.builds).toBe(1);
    expect(Menu.account()[0]).toMatchObject({ label: 'Alice', checked: true });
    listeners.forEach((l) => l(2)); // another window: no rebuild
    expect(Menu.builds).toBe(1);
    listeners.forEach((l) => l(1));
    expect(Menu.builds).toBe(2);
    Menu.account().find((i) => i.id === 'lock')?.click?.({} as never, undefined, {} as never);
    expect(sent).toEqual([[1, { command: 'lock' }]]);
    focused = null;
    controller.rebuild();
    expect(Menu.account()[0]).toMatchObject({ label: 'Not signed in', enabled: false });
    controller.dispose();
    expect(listeners).toHaveLength(0);
  });
});
