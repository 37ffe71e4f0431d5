import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { err } from '../../support/fake-accounts-api';
import { renderConsole } from './admin-test-kit';

const sudoDialog = () => screen.findByRole('dialog', { name: 'Confirm your password to continue' });

async function startCreate() {
  await userEvent.click(await screen.findByRole('button', { name: 'New user' }));
  const d = within(screen.getByRole('dialog', { name: 'New user' }));
  await userEvent.type(d.getByLabelText(/Username/), 'dave');
  await userEvent.type(d.getByLabelText(/^Password/), 'a long enough passphrase');
  await userEvent.click(d.getByRole('button', { name: 'Create user' }));
}

describe('Sudo mode', () => {
  it('REAUTH_REQUIRED asks for the password; a wrong one is said in words; the right one retries the action by itself', async () => {
    const { api, world } = renderConsole({ before: (w) => (w.sudo = false) });
    await startCreate();
    const sudo = within(await sudoDialog());
    expect(world.users.map((u) => u.username)).toEqual(['admin']);
    await userEvent.type(sudo.getByLabelText('Your password'), 'wrong guess');
    await userEvent.click(sudo.getByRole('button', { name: 'Confirm' }));
    expect((await sudo.findByRole('alert')).textContent).toBe("That password isn't right. Try again.");
    expect(api.calls('admin:users:create')).toHaveLength(1);
    await userEvent.type(sudo.getByLabelText('Your password'), 'admin password');
    await userEvent.click(sudo.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('dave was created.')).toBeTruthy();
    expect(api.calls('auth:reauthenticate')).toEqual([
      { sessionId: 'sid-admin', password: 'wrong guess' },
      { sessionId: 'sid-admin', password: 'admin password' },
    ]);
    // The same create, sent again after the password, without another click.
    const creates = api.calls('admin:users:create');
    expect(creates).toHaveLength(2);
    expect(creates[1]).toEqual(creates[0]);
    expect(world.users.map((u) => u.username)).toEqual(['admin', 'dave']);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Escape cancels: nothing changes, the form stays open with what was typed, focus returns inside it', async () => {
    const { api, world } = renderConsole({ before: (w) => (w.sudo = false) });
    await startCreate();
    await sudoDialog();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Confirm your password to continue' })).toBeNull());
    const form = screen.getByRole('dialog', { name: 'New user' });
    expect((within(form).getByLabelText(/Username/) as HTMLInputElement).value).toBe('dave');
    expect(within(form).queryByRole('alert')).toBeNull();
    await waitFor(() => expect(form.contains(document.activeElement)).toBe(true));
    expect(api.calls('admin:users:create')).toHaveLength(1);
    expect(api.calls('auth:reauthenticate')).toHaveLength(0);
    expect(world.users).toHaveLength(1);
  });

  it('a throttled confirmation says when to try again', async () => {
    renderConsole({
      before: (w, a) => {
        w.sudo = false;
        a.handle('auth:reauthenticate', () => err('THROTTLED', { retryAfterMs: 27_000 }));
      },
    });
    await startCreate();
    const sudo = within(await sudoDialog());
    await userEvent.type(sudo.getByLabelText('Your password'), 'x');
    await userEvent.click(sudo.getByRole('button', { name: 'Confirm' }));
    expect((await sudo.findByRole('alert')).textContent).toBe('Too many attempts. Try again in 27 seconds.');
  });

  it('a row action (Deactivate) also retries after the password', async () => {
    const { api } = renderConsole({
      before: (w) => {
        w.sudo = false;
        w.addUsers(1);
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for user00002' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Deactivate' }));
    const sudo = within(await sudoDialog());
    await userEvent.type(sudo.getByLabelText('Your password'), 'admin password{Enter}');
    expect(await screen.findByText('user00002 is deactivated and their sessions have ended.')).toBeTruthy();
    expect(api.calls('admin:users:update')).toHaveLength(2);
  });
});
