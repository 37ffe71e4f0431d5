import { describe, expect, it } from 'vitest';
import type { ProfileState } from '../../../shared/dto';
import {
  buildAccountMenuModel,
  type AccountMenuItem,
  type AccountMenuModel,
} from '../../../electron/menu/account-menu-model';

const profile = (username: string, extra: Partial<ProfileState> = {}): ProfileState => ({
  handle: `h-${username}`,
  username,
  displayName: username[0]!.toUpperCase() + username.slice(1),
  avatarColor: '#336699',
  locked: false,
  ...extra,
});

function item(model: AccountMenuModel, id: string): AccountMenuItem {
  const found = model.items.find((i) => i.id === id);
  if (found === undefined) throw new Error(`no item ${id} in ${model.items.map((i) => i.id).join(', ')}`);
  return found;
}

const enabled = (model: AccountMenuModel, id: string): boolean => {
  const i = item(model, id);
  if (i.kind === 'separator') throw new Error(`${id} is a separator`);
  return i.enabled;
};

const profiles = (model: AccountMenuModel) => model.items.filter((i) => i.kind === 'profile');

describe('Account menu model', () => {
  it('with no profile: a disabled placeholder and every action disabled', () => {
    const model = buildAccountMenuModel([], null);
    expect(model.label).toBe('Account');
    expect(profiles(model)).toEqual([
      expect.objectContaining({ id: 'profile:none', label: 'Not signed in', enabled: false, checked: false }),
    ]);
    for (const id of ['add-profile', 'lock', 'lock-all', 'logout']) expect(enabled(model, id), id).toBe(false);
  });

  it('keeps its accelerators even when disabled (the menu shows them greyed)', () => {
    const model = buildAccountMenuModel([], null);
    expect(item(model, 'lock')).toMatchObject({ accelerator: 'CmdOrCtrl+L' });
    expect(item(model, 'logout')).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+Q' });
  });

  it('with one active profile: a checked radio item and every action enabled', () => {
    const model = buildAccountMenuModel([profile('alice')], 'h-alice');
    expect(profiles(model)).toEqual([
      {
        kind: 'profile',
        id: 'profile:h-alice',
        label: 'Alice',
        sublabel: 'alice',
        enabled: true,
        checked: true,
        locked: false,
        command: { command: 'switch-profile', username: 'alice' },
      },
    ]);
    expect(model.items.map((i) => i.id)).toEqual([
      'profile:h-alice',
      'separator:profiles',
      'add-profile',
      'separator:actions',
      'lock',
      'lock-all',
      'separator:logout',
      'logout',
    ]);
    expect(model.items.filter((i) => i.kind === 'action')).toEqual([
      { kind: 'action', id: 'add-profile', label: 'Add Profile…', enabled: true, command: { command: 'add-profile' } },
      { kind: 'action', id: 'lock', label: 'Lock', accelerator: 'CmdOrCtrl+L', enabled: true, command: { command: 'lock' } },
      { kind: 'action', id: 'lock-all', label: 'Lock All', enabled: true, command: { command: 'lock-all' } },
      {
        kind: 'action',
        id: 'logout',
        label: 'Log Out',
        accelerator: 'CmdOrCtrl+Shift+Q',
        enabled: true,
        command: { command: 'logout' },
      },
    ]);
  });

  it('with three profiles: in login order, only the active one checked, locked ones marked', () => {
    const list = [profile('alice'), profile('bob', { locked: true }), profile('carol', { displayName: '' })];
    const model = buildAccountMenuModel(list, 'h-bob');
    expect(profiles(model).map((i) => [i.id, i.label, i.kind === 'profile' && i.checked])).toEqual([
      ['profile:h-alice', 'Alice', false],
      ['profile:h-bob', 'Bob', true],
      ['profile:h-carol', 'carol', false],
    ]);
    expect(item(model, 'profile:h-bob')).toMatchObject({ sublabel: 'bob · Locked', locked: true, enabled: true });
    expect(item(model, 'profile:h-carol')).not.toHaveProperty('sublabel');
    // The active profile is locked: Lock is pointless, Log Out still works, Lock All still has work.
    expect(enabled(model, 'lock')).toBe(false);
    expect(enabled(model, 'logout')).toBe(true);
    expect(enabled(model, 'lock-all')).toBe(true);
    expect(enabled(model, 'add-profile')).toBe(true);
  });

  it('each profile item switches to its own username', () => {
    const model = buildAccountMenuModel([profile('alice'), profile('bob'), profile('carol')], 'h-alice');
    expect(profiles(model).map((i) => i.kind === 'profile' && i.command)).toEqual([
      { command: 'switch-profile', username: 'alice' },
      { command: 'switch-profile', username: 'bob' },
      { command: 'switch-profile', username: 'carol' },
    ]);
  });

  it('Lock All is disabled once every profile is locked', () => {
    const model = buildAccountMenuModel([profile('alice', { locked: true }), profile('bob', { locked: true })], 'h-bob');
    expect(enabled(model, 'lock-all')).toBe(false);
  });

  it('with profiles but no active one reported yet: nothing checked, Lock and Log Out disabled', () => {
    const model = buildAccountMenuModel([profile('alice'), profile('bob')], null);
    expect(profiles(model).every((i) => i.kind === 'profile' && !i.checked)).toBe(true);
    expect(enabled(model, 'lock')).toBe(false);
    expect(enabled(model, 'logout')).toBe(false);
    expect(enabled(model, 'lock-all')).toBe(true);
  });

  it('an unknown active handle checks nothing', () => {
    const model = buildAccountMenuModel([profile('alice')], 'h-gone');
    expect(item(model, 'profile:h-alice')).toMatchObject({ checked: false });
  });

  it('Add Profile… is disabled at maxProfiles', () => {
    const two = [profile('alice'), profile('bob')];
    expect(enabled(buildAccountMenuModel(two, 'h-alice', { maxProfiles: 2 }), 'add-profile')).toBe(false);
    expect(enabled(buildAccountMenuModel(two, 'h-alice', { maxProfiles: 3 }), 'add-profile')).toBe(true);
  });

  it('takes replacement labels', () => {
    const model = buildAccountMenuModel([profile('alice', { locked: true })], 'h-alice', {
      labels: { menu: '账户', lock: '锁定', locked: '已锁定' },
    });
    expect(model.label).toBe('账户');
    expect(item(model, 'lock')).toMatchObject({ label: '锁定' });
    expect(item(model, 'profile:h-alice')).toMatchObject({ sublabel: 'alice · 已锁定' });
    expect(item(model, 'logout')).toMatchObject({ label: 'Log Out' });
  });

  it('never carries a session ID', () => {
    const model = buildAccountMenuModel([profile('alice')], 'h-alice');
    expect(JSON.stringify(model)).not.toMatch(/sessionId/);
  });
});
