import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { err, ok } from '../../support/fake-accounts-api';
import { renderConsole } from './admin-test-kit';

const nav = () => screen.getByRole('navigation', { name: 'Admin sections' });

describe('AdminConsole: visibility by permission', () => {
  it('a superuser sees Users, Groups, Sessions and Audit log, Users first', async () => {
    renderConsole();
    expect(within(nav()).getAllByRole('button').map((b) => b.textContent)).toEqual(['Users', 'Groups', 'Sessions', 'Audit log']);
    expect(await screen.findByRole('heading', { name: 'Users', level: 2 })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'New user' })).toBeTruthy();
  });

  it('each section shows only with its own permission; actions only with theirs', async () => {
    const { api } = renderConsole({ permissions: ['auth.view_user', 'audit.view_event'] });
    expect(within(nav()).getAllByRole('button').map((b) => b.textContent)).toEqual(['Users', 'Audit log']);
    await screen.findByText('admin');
    // view_user alone: no "New user", no row action menu.
    expect(screen.queryByRole('button', { name: 'New user' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Actions for/ })).toBeNull();
    await userEvent.click(within(nav()).getByRole('button', { name: 'Audit log' }));
    expect(await screen.findByRole('heading', { name: 'Audit log', level: 2 })).toBeTruthy();
    expect(api.calls('admin:groups:list')).toHaveLength(0);
    expect(api.calls('admin:sessions:list')).toHaveLength(0);
  });

  it('without any view permission it says there is nothing to manage', () => {
    renderConsole({ permissions: ['auth.add_user'] });
    expect(within(nav()).queryAllByRole('button', { name: /Users|Groups/ })).toHaveLength(0);
    expect(screen.getByRole('status').textContent).toMatch(/no administration permissions/);
  });

  it('a section whose permission was removed elsewhere shows the refusal in words, not a blank table', async () => {
    const { api } = renderConsole({
      permissions: ['sessions.view_session'],
      before: (_w, a) => a.fail('admin:sessions:list', 'PERMISSION_DENIED'),
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/You can't see sessions/);
    expect(alert.textContent).toMatch(/removed in another window/);
    expect(screen.queryByRole('table')).toBeNull();
    // The console re-reads its own permissions after a refusal.
    expect(api.calls('auth:session').length).toBeGreaterThan(0);
  });

  it('a failed list that is not a refusal offers Try again', async () => {
    const { api } = renderConsole({
      permissions: ['auth.view_group'],
      before: (_w, a) => a.handle('admin:groups:list', () => err('INTERNAL')),
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Couldn't load groups/);
    api.handle('admin:groups:list', () => ok({ items: [], total: 0 }));
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No groups yet')).toBeTruthy();
  });

  it('speaks Chinese with the zh-CN language', async () => {
    renderConsole({ language: 'zh-CN' });
    expect(within(screen.getByRole('navigation', { name: '管理分区' })).getAllByRole('button').map((b) => b.textContent)).toEqual([
      '用户', '用户组', '会话', '审计日志',
    ]);
    expect(await screen.findByRole('button', { name: '新建用户' })).toBeTruthy();
  });

  it('calls back onClose from "Back to Home"', async () => {
    let closed = 0;
    renderConsole({ props: { onClose: () => (closed += 1) } });
    await userEvent.click(screen.getByRole('button', { name: 'Back to Home' }));
    expect(closed).toBe(1);
  });
});
