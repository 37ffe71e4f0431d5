import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../renderer/src/i18n/i18n-setup';
import { appInfo, FakeAccountsApi, ok } from '../../support/fake-accounts-api';
import { acceptLogins, renderApp, signInWithPassword } from '../support/render-app';

/**
 * Count-bearing sentences go through i18next plurals (`_one` / `_other`; Chinese
 * has only the one form), so English never reads "after 1 minutes".
 */
describe('plural forms', () => {
  it('says "after 1 minute" when the idle timeout is one minute, in the notice and the announcer', async () => {
    const api = new FakeAccountsApi().handle('app:info', () =>
      ok(appInfo({ sessions: { idleTimeoutMs: 60_000, idleAction: 'logout', maxProfilesPerWindow: 4 } })),
    );
    const issued = acceptLogins(api, { alice: { displayName: 'Alice' } });
    const { user } = renderApp(api);
    await signInWithPassword(user, 'alice');
    await screen.findByRole('heading', { level: 1, name: 'Hello, Alice' });
    const alice = issued[0];
    if (!alice) throw new Error('a sign-in expected');
    act(() => api.emit('session:ended', { sessionId: alice.sessionId, handle: alice.session.handle, reason: 'idle' }));
    const notice = await within(screen.getByRole('main')).findByText(/Alice was signed out after/);
    expect(notice.textContent).toMatch(/^Alice was signed out after 1 minute of inactivity at /);
    expect(screen.getByTestId('announcer').textContent).toMatch(/after 1 minute of inactivity/);
  });

  it('chooses the form by count in every count-bearing sentence, English and Chinese', () => {
    const en = createI18n('en');
    expect(en.t('common:ended.idle', { name: 'A', time: '10:42', minutes: 1 })).toBe('A was signed out after 1 minute of inactivity at 10:42.');
    expect(en.t('common:ended.idle', { name: 'A', time: '10:42', minutes: 15 })).toBe('A was signed out after 15 minutes of inactivity at 10:42.');
    expect(en.t('common:locked.idle', { time: '10:42', minutes: 1 })).toBe('Locked after 1 minute of inactivity at 10:42.');
    expect(en.t('common:locked.idle', { time: '10:42', minutes: 15 })).toBe('Locked after 15 minutes of inactivity at 10:42.');
    expect(en.t('common:switcher.limitReached', { max: 1 })).toMatch(/^You can have up to 1 profile in this window\./);
    expect(en.t('common:switcher.limitReached', { max: 4 })).toMatch(/^You can have up to 4 profiles in this window\./);
    expect(en.t('auth:reasons.too-short', { min: 1 })).toBe('Use at least 1 character.');
    expect(en.t('auth:reasons.too-short', { min: 12 })).toBe('Use at least 12 characters.');
    expect(en.t('auth:reasons.too-long', { max: 1 })).toBe('Use at most 1 character.');
    expect(en.t('auth:strength.empty', { min: 8 })).toMatch(/^Use at least 8 characters\. /);
    const zh = createI18n('zh-CN');
    expect(zh.t('common:ended.idle', { name: 'A', time: '10:42', minutes: 1 })).toBe('A 因 1 分钟无操作，已于 10:42 自动退出。');
    expect(zh.t('common:locked.idle', { time: '10:42', minutes: 15 })).toBe('因 15 分钟无操作，已于 10:42 锁定。');
    expect(zh.t('auth:reasons.too-short', { min: 8 })).toBe('请至少使用 8 个字符。');
    expect(zh.t('common:switcher.limitReached', { max: 2 })).toMatch(/^此窗口最多可登录 2 个个人资料。/);
  });
});
