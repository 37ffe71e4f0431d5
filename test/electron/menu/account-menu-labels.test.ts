import { describe, expect, it } from 'vitest';
import type { ProfileState } from '../../../shared/dto';
import { accountMenuLabelsFor, buildAccountMenuModel, DEFAULT_ACCOUNT_MENU_LABELS, ZH_CN_ACCOUNT_MENU_LABELS } from '../../../electron/menu/account-menu-model';

const locked: ProfileState = { handle: 'ha', username: 'alice', displayName: 'Alice', avatarColor: '#123456', locked: true };

describe('Account menu labels by language', () => {
  it('has a Chinese word for every English one, and no empty or untranslated label', () => {
    expect(Object.keys(ZH_CN_ACCOUNT_MENU_LABELS).sort()).toEqual(Object.keys(DEFAULT_ACCOUNT_MENU_LABELS).sort());
    for (const [key, zh] of Object.entries(ZH_CN_ACCOUNT_MENU_LABELS)) {
      expect(zh.trim(), key).not.toBe('');
      expect(zh, key).not.toBe(DEFAULT_ACCOUNT_MENU_LABELS[key as keyof typeof DEFAULT_ACCOUNT_MENU_LABELS]);
    }
  });

  it('picks by locale or Accept-Language: the first known tag decides, any Chinese is 简体中文, else English', () => {
    expect(accountMenuLabelsFor('zh-CN')).toBe(ZH_CN_ACCOUNT_MENU_LABELS);
    expect(accountMenuLabelsFor('zh-TW')).toBe(ZH_CN_ACCOUNT_MENU_LABELS);
    expect(accountMenuLabelsFor('zh')).toBe(ZH_CN_ACCOUNT_MENU_LABELS);
    expect(accountMenuLabelsFor('de-DE,zh-CN;q=0.9,en;q=0.8')).toBe(ZH_CN_ACCOUNT_MENU_LABELS);
    expect(accountMenuLabelsFor('en-GB,zh-CN;q=0.9')).toBe(DEFAULT_ACCOUNT_MENU_LABELS);
    expect(accountMenuLabelsFor(['fr-FR', 'zh-Hans-CN'])).toBe(ZH_CN_ACCOUNT_MENU_LABELS);
    expect(accountMenuLabelsFor('fr')).toBe(DEFAULT_ACCOUNT_MENU_LABELS);
    expect(accountMenuLabelsFor('')).toBe(DEFAULT_ACCOUNT_MENU_LABELS);
    expect(accountMenuLabelsFor(undefined)).toBe(DEFAULT_ACCOUNT_MENU_LABELS);
  });

  it('puts the Chinese words into the model: menu title, actions, the locked sublabel, the placeholder', () => {
    const none = buildAccountMenuModel([], null, { labels: accountMenuLabelsFor('zh-CN') });
    expect(none.label).toBe('账户');
    expect(none.items.flatMap((i) => (i.kind === 'separator' ? [] : [i.label]))).toEqual(['未登录', '添加个人资料…', '锁定', '全部锁定', '退出登录']);
    const one = buildAccountMenuModel([locked], 'ha', { labels: accountMenuLabelsFor('zh-CN') });
    expect(one.items[0]).toMatchObject({ kind: 'profile', label: 'Alice', sublabel: 'alice · 已锁定' });
  });
});
