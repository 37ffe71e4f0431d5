import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { directPermissionsOf } from '../../../renderer/src/admin/user-dialog';
import { adminUser, renderConsole } from './admin-test-kit';

describe('direct permissions', () => {
  it('are the effective ones minus what the user’s groups grant', () => {
    const u = adminUser({ groups: ['Support'], permissions: ['auth.view_user', 'audit.view_event'] });
    const groups = [
      { id: 1, name: 'Support', permissions: ['auth.view_user'] },
      { id: 2, name: 'Other', permissions: ['audit.view_event'] },
    ];
    expect([...directPermissionsOf(u, groups)]).toEqual(['audit.view_event']);
  });

  it('edit shows them checked and sends them only when changed', async () => {
    const { api } = renderConsole({
      before: (w) => {
        w.groups.push({ id: 1, name: 'Support', permissions: ['auth.view_user'] });
        w.users.push(adminUser({ id: 2, username: 'bob', groups: ['Support'], permissions: ['auth.view_user', 'audit.view_event'] }));
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for bob' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Edit…' }));
    const d = within(screen.getByRole('dialog', { name: 'Edit bob' }));
    expect(((await d.findByRole('checkbox', { name: /View the audit log/ })) as HTMLInputElement).checked).toBe(true);
    expect((d.getByRole('checkbox', { name: /View users/ }) as HTMLInputElement).checked).toBe(false);
    expect((d.getByRole('checkbox', { name: 'Support' }) as HTMLInputElement).checked).toBe(true);
    await userEvent.clear(d.getByLabelText('Name', { exact: true }));
    await userEvent.type(d.getByLabelText('Name', { exact: true }), 'Robert');
    await userEvent.click(d.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Changes to bob were saved.')).toBeTruthy();
    expect(api.calls('admin:users:update')).toEqual([{ sessionId: 'sid-admin', userId: 2, displayName: 'Robert' }]);
  });
});
