import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { err } from '../../support/fake-accounts-api';
import { renderConsole } from './admin-test-kit';

const dialog = () => screen.getByRole('dialog');

describe('User dialog', () => {
  it('traps focus, returns it to "New user" on Escape, and checks the username before sending', async () => {
    const { api } = renderConsole();
    const opener = await screen.findByRole('button', { name: 'New user' });
    await userEvent.click(opener);
    expect(within(dialog()).getByRole('heading', { name: 'New user' })).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog()).getByLabelText(/Username/));
    await userEvent.click(within(dialog()).getByRole('button', { name: 'Create user' }));
    expect(within(dialog()).getByText('Enter a username.')).toBeTruthy();
    expect(within(dialog()).getByLabelText(/Username/).getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog()).getByText('Enter a password.')).toBeTruthy();
    expect(api.calls('admin:users:create')).toHaveLength(0);
    // Tab cycles inside the dialog.
    for (let i = 0; i < 40; i++) await userEvent.tab();
    expect(dialog().contains(document.activeElement)).toBe(true);
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });

  it('shows a taken username next to the field, in words, and keeps the form', async () => {
    const { api } = renderConsole();
    await userEvent.click(await screen.findByRole('button', { name: 'New user' }));
    await userEvent.type(within(dialog()).getByLabelText(/Username/), 'Admin');
    await userEvent.type(within(dialog()).getByLabelText(/^Password/), 'a long enough passphrase');
    await userEvent.click(within(dialog()).getByRole('button', { name: 'Create user' }));
    const field = within(dialog()).getByLabelText(/Username/);
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    const described = document.getElementById(field.getAttribute('aria-describedby') ?? '');
    expect(described?.textContent).toBe('This username is already taken.');
    expect(api.calls('admin:users:create')).toHaveLength(1);
  });

  it('creates a user with groups, direct permissions and "Must change at next sign-in"', async () => {
    const { api } = renderConsole({ before: (w) => w.groups.push({ id: 1, name: 'Support', permissions: ['auth.view_user'] }) });
    await userEvent.click(await screen.findByRole('button', { name: 'New user' }));
    const d = within(dialog());
    await userEvent.type(d.getByLabelText(/Username/), 'carol');
    await userEvent.type(d.getByLabelText(/^Password/), 'a long enough passphrase');
    await userEvent.click(await d.findByRole('checkbox', { name: 'Support' }));
    await userEvent.type(d.getByRole('searchbox', { name: /Search Direct permissions/ }), 'audit');
    expect(d.queryByRole('checkbox', { name: /View users/ })).toBeNull();
    await userEvent.click(d.getByRole('checkbox', { name: /View the audit log/ }));
    expect((d.getByRole('checkbox', { name: 'Must change at next sign-in' }) as HTMLInputElement).checked).toBe(true);
    await userEvent.click(d.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('carol was created.')).toBeTruthy();
    expect(api.calls('admin:users:create')[0]).toMatchObject({
      username: 'carol', password: 'a long enough passphrase', mustChangePassword: true, groups: ['Support'], permissions: ['audit.view_event'],
      isActive: true, isStaff: false, isSuperuser: false,
    });
  });

  it('says a core refusal without a field (the last superuser) inside the dialog', async () => {
    const { api } = renderConsole({
      before: (_w, a) => a.fail('admin:users:update', 'CONFLICT', { message: 'This is the last active superuser: make another user a superuser first.' }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for admin' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Edit…' }));
    await userEvent.click(within(dialog()).getByRole('checkbox', { name: 'Superuser' }));
    await userEvent.click(within(dialog()).getByRole('button', { name: 'Save changes' }));
    expect((await within(dialog()).findByRole('alert')).textContent).toBe('This is the last active superuser. Make another user a superuser first.');
    // Only what changed was sent.
    expect(api.calls('admin:users:update')).toEqual([{ sessionId: 'sid-admin', userId: 1, isSuperuser: false }]);
  });
});

describe('Set password and delete', () => {
  it('set password: mismatch is caught, policy reasons shown under the field, "Must change" sent', async () => {
    const { api } = renderConsole({ before: (w) => w.addUsers(1) });
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for user00002' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Set password…' }));
    const d = within(dialog());
    await userEvent.type(d.getByLabelText('New password'), 'password123');
    await userEvent.type(d.getByLabelText('Type it again'), 'password12');
    await userEvent.click(d.getByRole('button', { name: 'Set password' }));
    expect(d.getByText("The two passwords don't match.")).toBeTruthy();
    api.fail('admin:users:set-password', 'PASSWORD_POLICY', { reasons: ['too-short', 'common'] });
    await userEvent.type(d.getByLabelText('Type it again'), '3');
    await userEvent.click(d.getByRole('button', { name: 'Set password' }));
    expect(await d.findByText('Use at least 12 characters. This is a commonly used password.')).toBeTruthy();
    expect(api.calls('admin:users:set-password').at(-1)).toMatchObject({ userId: 2, password: 'password123', mustChangePassword: true });
  });

  it('delete confirms with a button naming the user, and a refusal shows in the dialog', async () => {
    const { api, world } = renderConsole({ before: (w) => w.addUsers(1) });
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for user00002' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Delete…' }));
    expect(within(dialog()).getByRole('heading', { name: 'Delete user00002?' })).toBeTruthy();
    await userEvent.click(within(dialog()).getByRole('button', { name: 'Delete user00002' }));
    expect(await screen.findByText('user00002 was deleted.')).toBeTruthy();
    expect(world.users.map((u) => u.username)).toEqual(['admin']);
    // Focus is back on the row's menu button... of a row that is gone, so nothing breaks.
    api.handle('admin:users:delete', () => err('CONFLICT', { message: 'This is the last active superuser: make another user a superuser first.' }));
    await userEvent.click(screen.getByRole('button', { name: 'Actions for admin' }));
    expect(screen.getByRole('menuitem', { name: 'Delete…' }).getAttribute('aria-disabled')).toBe('true');
  });

  it('a refused delete says why in the dialog and keeps the user; Cancel returns focus to the row menu', async () => {
    const { world } = renderConsole({
      before: (w, a) => {
        w.addUsers(1);
        a.handle('admin:users:delete', () => err('CONFLICT', { message: 'This is the last active superuser: make another user a superuser first.' }));
      },
    });
    const menu = await screen.findByRole('button', { name: 'Actions for user00002' });
    await userEvent.click(menu);
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Delete…' }));
    await userEvent.click(within(dialog()).getByRole('button', { name: 'Delete user00002' }));
    expect((await within(dialog()).findByRole('alert')).textContent).toMatch(/last active superuser/);
    expect(world.users).toHaveLength(2);
    await userEvent.click(within(dialog()).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(menu));
  });
});
