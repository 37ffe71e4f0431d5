import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PasswordCheck } from '../../../shared/dto';
import { ok, type FakeAccountsApi } from '../../support/fake-accounts-api';
import { renderConsole } from './admin-test-kit';

/*
 * The admin console's password dialogs carry the same live strength meter as setup and
 * "change password": the public password:check channel answers as the administrator
 * types, and the policy's reasons appear in words (en and zh-CN).
 */

/** A small stand-in for the core's policy: length 12, a common-password list, similarity to the username. */
function policyCheck(api: FakeAccountsApi) {
  api.handle('password:check', (p) => {
    const reasons: PasswordCheck['reasons'] = [];
    if (p.password.length < 12) reasons.push('too-short');
    if (p.password.startsWith('password')) reasons.push('common');
    if (p.username && p.password.toLowerCase().includes(p.username.toLowerCase())) reasons.push('similar');
    return ok({ reasons, score: reasons.length > 0 ? 0 : 4, suggestions: [] });
  });
}

const dialog = () => within(screen.getByRole('dialog'));

describe('Strength meter in the admin dialogs', () => {
  it('create user: the reasons follow the typing, with the username as the policy sees it', async () => {
    const { api } = renderConsole({ before: (_w, a) => policyCheck(a) });
    await userEvent.click(await screen.findByRole('button', { name: 'New user' }));
    expect(dialog().getByText('Use at least 12 characters. A few unrelated words work well.')).toBeTruthy();
    await userEvent.type(dialog().getByLabelText(/Username/), 'carol');
    const field = dialog().getByLabelText(/^Password/);
    await userEvent.type(field, 'password1');
    expect(await dialog().findByText('This is a commonly used password.')).toBeTruthy();
    expect(dialog().getByText('Use at least 12 characters.')).toBeTruthy();
    expect(dialog().getByText('Very weak')).toBeTruthy();
    // The meter describes the field for screen readers.
    const meter = dialog().getByText('Very weak').closest('.meter') as HTMLElement;
    expect(field.getAttribute('aria-describedby')?.split(' ')).toContain(meter.id);

    await userEvent.clear(field);
    await userEvent.type(field, 'carol-harbour-violet');
    expect(await dialog().findByText('Too similar to your name, username or email.')).toBeTruthy();
    await userEvent.clear(field);
    await userEvent.type(field, 'harbour violet lantern');
    expect(await dialog().findByText('This password meets the requirements.')).toBeTruthy();
    expect(dialog().getByText('Strong')).toBeTruthy();
    expect(dialog().queryByText('Use at least 12 characters.')).toBeNull();
    expect(api.calls('password:check').at(-1)).toMatchObject({ password: 'harbour violet lantern', username: 'carol' });
    // Only the meter asked: nothing was created.
    expect(api.calls('admin:users:create')).toHaveLength(0);
  });

  it('set password: the meter checks against the user whose password it is', async () => {
    const { api } = renderConsole({ before: (w, a) => (w.addUsers(1), policyCheck(a)) });
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for user00002' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Set password…' }));
    const field = dialog().getByLabelText('New password');
    await userEvent.type(field, 'user00002!!xyz');
    expect(await dialog().findByText('Too similar to your name, username or email.')).toBeTruthy();
    expect(api.calls('password:check').at(-1)).toMatchObject({ username: 'user00002' });
    const meter = dialog().getByText('Too similar to your name, username or email.').closest('.meter') as HTMLElement;
    expect(field.getAttribute('aria-describedby')?.split(' ')).toContain(meter.id);
    await userEvent.clear(field);
    await waitFor(() => expect(dialog().queryByText('Too similar to your name, username or email.')).toBeNull());
  });

  it('says the reasons in Chinese when the console is in zh-CN', async () => {
    renderConsole({ language: 'zh-CN', before: (_w, a) => policyCheck(a) });
    await userEvent.click(await screen.findByRole('button', { name: '新建用户' }));
    await userEvent.type(dialog().getByLabelText(/^密码/), 'password');
    expect(await dialog().findByText('这是一个常见密码。')).toBeTruthy();
    expect(dialog().getByText('请至少使用 12 个字符。')).toBeTruthy();
    expect(dialog().getByText('非常弱')).toBeTruthy();
  });
});
