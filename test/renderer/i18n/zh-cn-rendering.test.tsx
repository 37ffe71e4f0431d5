import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeAccountsApi, ok, T0 } from '../../support/fake-accounts-api';
import { acceptLogins, renderApp } from '../support/render-app';

describe('简体中文', () => {
  it('renders the sign-in screen in Chinese when the OS language is Chinese', async () => {
    renderApp(new FakeAccountsApi(), { languages: ['zh-CN', 'en'] });
    expect(await screen.findByRole('heading', { level: 1, name: '登录' })).toBeTruthy();
    expect(screen.getByLabelText('用户名或邮箱')).toBeTruthy();
    expect(screen.getByLabelText('密码')).toBeTruthy();
    expect(screen.getByRole('button', { name: '显示密码' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: '在这台电脑上保持登录' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '登录' })).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/Sign in|Password/);
  });

  it('renders Home in Chinese for a profile that chose it, whatever the OS says', async () => {
    const api = new FakeAccountsApi().handle('prefs:get', () => ok({ theme: 'system', locale: 'zh-CN' }));
    api.handle('profiles:list', () => ok({ items: [{ username: 'wei', displayName: '王伟', avatarColor: '#0f766e', lastLoginAt: T0 }], total: 1 }));
    acceptLogins(api, { wei: { displayName: '王伟' } }, { previousSignIn: { at: T0 - 3_600_000, failedAttempts: 2 } });
    const { user } = renderApp(api, { languages: ['en-US'] });
    await user.click(await screen.findByRole('button', { name: 'Sign in as 王伟' }));
    expect(await screen.findByRole('heading', { level: 1, name: '你好，王伟' })).toBeTruthy();
    expect(screen.getByText('此后有 2 次失败的登录尝试。')).toBeTruthy();
    expect(screen.getByRole('button', { name: '账户设置' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});
