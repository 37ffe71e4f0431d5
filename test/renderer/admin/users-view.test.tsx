import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './admin-test-kit';

const rows = () => screen.getAllByRole('row').slice(1);
const firstCells = () => rows().map((r) => within(r).getAllByRole('cell')[0]?.textContent?.replace(/^./, ''));

describe('Users: search, sort, paging', () => {
  it('shows totals and pages through 120 users 50 at a time', async () => {
    const { api } = renderConsole({ before: (w) => w.addUsers(119) });
    expect(await screen.findByText('1–50 of 120')).toBeTruthy();
    expect(screen.getByTestId('users-total').textContent).toBe('120 users');
    expect(rows()).toHaveLength(50);
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('51–100 of 120')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('101–120 of 120')).toBeTruthy();
    expect(rows()).toHaveLength(20);
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    expect(api.calls('admin:users:list').map((p) => p.offset)).toEqual([0, 50, 100]);
  });

  it('searches on the server while typing; the latest text wins and the page resets', async () => {
    const { api } = renderConsole({ before: (w) => w.addUsers(119, (i) => (i === 41 ? { displayName: 'Zoë Quinn' } : {})) });
    await screen.findByText('1–50 of 120');
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('51–100 of 120');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search users' }), 'quinn');
    await waitFor(() => expect(firstCells()).toEqual(['user00043']));
    expect(screen.getByTestId('users-total').textContent).toBe('1 user');
    const sent = api.calls('admin:users:list');
    expect(sent.at(-1)).toMatchObject({ query: 'quinn', offset: 0, limit: 50 });
    // Coalesced: never more requests than keystrokes (+ the two page loads).
    expect(sent.length).toBeLessThanOrEqual(2 + 'quinn'.length);
  });

  it('says what to do when nothing matches', async () => {
    renderConsole();
    await userEvent.type(await screen.findByRole('searchbox', { name: 'Search users' }), 'nobody');
    expect(await screen.findByText('No user matches “nobody”')).toBeTruthy();
    expect(screen.getByText(/search by email or name/)).toBeTruthy();
  });

  it('sorts on the server by a column header, toggling the order, with aria-sort', async () => {
    const { api } = renderConsole({ before: (w) => w.addUsers(3) });
    await screen.findByText('1–4 of 4');
    const header = screen.getByRole('columnheader', { name: /Username/ });
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    await userEvent.click(within(header).getByRole('button'));
    await waitFor(() => expect(firstCells()[0]).toBe('user00004'));
    expect(header.getAttribute('aria-sort')).toBe('descending');
    expect(api.calls('admin:users:list').at(-1)).toMatchObject({ sort: 'username', order: 'desc' });
    await userEvent.click(within(screen.getByRole('columnheader', { name: /Last sign-in/ })).getByRole('button'));
    expect(api.calls('admin:users:list').at(-1)).toMatchObject({ sort: 'lastLogin', order: 'desc' });
  });
});

describe('Users: deactivate ends sessions', () => {
  it('deactivating from the row menu marks the user inactive and the Sessions view no longer lists their sessions', async () => {
    const { api, world } = renderConsole({
      before: (w) => {
        w.addUsers(1);
        const bob = w.users[1];
        if (bob) {
          w.session(bob);
          w.session(bob, { locked: true });
        }
      },
    });
    await screen.findByText('1–2 of 2');
    await userEvent.click(screen.getByRole('button', { name: 'Actions for user00002' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Deactivate' }));
    expect(await screen.findByText('user00002 is deactivated and their sessions have ended.')).toBeTruthy();
    expect(api.calls('admin:users:update')).toEqual([{ sessionId: 'sid-admin', userId: 2, isActive: false }]);
    await waitFor(() => expect(within(rows()[1] as HTMLElement).getByText('Inactive')).toBeTruthy());
    expect(world.sessions).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Sessions' }));
    expect(await screen.findByText('No one is signed in')).toBeTruthy();
  });

  it('your own row offers neither Deactivate nor Delete', async () => {
    renderConsole();
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for admin' }));
    expect((await screen.findByRole('menuitem', { name: 'Deactivate' })).getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('menuitem', { name: 'Delete…' }).getAttribute('aria-disabled')).toBe('true');
  });
});
