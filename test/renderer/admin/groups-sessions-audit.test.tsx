import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { T0 } from '../../support/fake-accounts-api';
import { adminUser, renderConsole } from './admin-test-kit';

/** What a screen reader reads: the text without aria-hidden parts (the avatar's letter). */
const spoken = (el: Element | undefined): string => {
  const copy = el?.cloneNode(true) as Element | undefined;
  copy?.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
  return copy?.textContent ?? '';
};
const open = (name: string) => userEvent.click(within(screen.getByRole('navigation', { name: 'Admin sections' })).getByRole('button', { name }));

describe('Groups', () => {
  it('says what to do when there are none, then creates one with the picker grouped by area and searchable', async () => {
    const { api } = renderConsole();
    await open('Groups');
    expect(await screen.findByText('No groups yet')).toBeTruthy();
    expect(screen.getByText(/bundle permissions, then add people/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'New group' }));
    const d = within(screen.getByRole('dialog', { name: 'New group' }));
    await userEvent.click(d.getByRole('button', { name: 'Create group' }));
    expect(d.getByText('Enter a group name.')).toBeTruthy();
    expect(api.calls('admin:groups:create')).toHaveLength(0);
    expect(d.getAllByRole('group').map((g) => g.getAttribute('aria-label')).filter(Boolean)).toEqual(['Audit log', 'Users and groups', 'Sessions']);
    await userEvent.type(d.getByLabelText(/Group name/), 'Helpdesk');
    await userEvent.type(d.getByRole('searchbox'), 'session');
    expect(d.getAllByRole('checkbox').map((c) => c.closest('label')?.textContent)).toEqual([
      'End sessionssessions.delete_session', 'View sessionssessions.view_session',
    ]);
    await userEvent.click(within(d.getByRole('group', { name: 'Sessions' })).getByRole('button', { name: 'Select all' }));
    expect(d.getByText('(2 selected)')).toBeTruthy();
    await userEvent.click(d.getByRole('button', { name: 'Create group' }));
    expect(await screen.findByText('Group Helpdesk was created.')).toBeTruthy();
    expect(api.calls('admin:groups:create')).toEqual([{ sessionId: 'sid-admin', name: 'Helpdesk', permissions: ['sessions.delete_session', 'sessions.view_session'] }]);
    expect(await screen.findByRole('heading', { name: 'Helpdesk' })).toBeTruthy();
  });

  it('shows members and permissions, renames (sending only the name), refuses a taken name in words, deletes with a named button', async () => {
    const { api } = renderConsole({
      before: (w, a) => {
        w.groups.push({ id: 1, name: 'Support', permissions: ['auth.view_user'] }, { id: 2, name: 'Ops', permissions: [] });
        w.users.push(adminUser({ id: 2, username: 'bob', groups: ['Support'] }), adminUser({ id: 3, username: 'amy', groups: ['Support'] }));
        a.handle('admin:groups:update', () => ({ ok: false, error: { code: 'CONFLICT', message: 'A group with this name already exists.', fields: { name: 'This name is already taken.' } } }));
      },
    });
    await open('Groups');
    const card = (await screen.findByRole('heading', { name: 'Support' })).closest('li') as HTMLElement;
    expect(within(card).getByText('View users')).toBeTruthy();
    expect(await within(card).findByText('2 members')).toBeTruthy();
    expect(within(card).getByText('amy, bob')).toBeTruthy();
    await userEvent.click(within(card).getByRole('button', { name: 'Edit Support' }));
    const d = within(screen.getByRole('dialog', { name: 'Edit Support' }));
    await userEvent.clear(d.getByLabelText(/Group name/));
    await userEvent.type(d.getByLabelText(/Group name/), 'Ops');
    await userEvent.click(d.getByRole('button', { name: 'Save changes' }));
    expect(await d.findByText('A group with this name already exists.')).toBeTruthy();
    expect(api.calls('admin:groups:update')).toEqual([{ sessionId: 'sid-admin', groupId: 1, name: 'Ops' }]);
    await userEvent.keyboard('{Escape}');
    await userEvent.click(within(card).getByRole('button', { name: 'Delete Support' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete the group Support?' })).getByRole('button', { name: 'Delete Support' }));
    expect(await screen.findByText('Group Support was deleted.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Support' })).toBeNull());
  });
});

describe('Sessions', () => {
  it('lists every live session with user, times and state; ends one; refreshes on session events and on its interval', async () => {
    const { api, world } = renderConsole({
      props: { sessionsPollMs: 200 },
      before: (w) => {
        const bob = adminUser({ id: 2, username: 'bob' });
        w.users.push(bob);
        w.session(w.users[0] as never, { current: true });
        w.session(bob);
        w.session(bob, { locked: true });
      },
    });
    await open('Sessions');
    expect(await screen.findByText('3 live sessions')).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => spoken(within(r).getAllByRole('cell')[0]))).toEqual(['admin · Admin', 'bob · Bob', 'bob · Bob']);
    expect(within(rows[0] as HTMLElement).getByText('You')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).queryByRole('button')).toBeNull(); // not your own
    expect(within(rows[2] as HTMLElement).getByText('Locked')).toBeTruthy();
    await userEvent.click(within(rows[1] as HTMLElement).getByRole('button', { name: /End session of bob/ }));
    expect(await screen.findByText("bob's session has ended.")).toBeTruthy();
    expect(await screen.findByText('2 live sessions')).toBeTruthy();

    // Another window signs in: the next poll shows it; a session event re-reads at once.
    world.session(adminUser({ id: 3, username: 'carol' }));
    expect(await screen.findByText('3 live sessions', {}, { timeout: 3000 })).toBeTruthy();
    world.sessions = world.sessions.filter((s) => s.username !== 'carol');
    const before = api.calls('admin:sessions:list').length;
    act(() => api.emit('session:ended', { sessionId: 'x', handle: 'y', reason: 'idle' }));
    await waitFor(() => expect(api.calls('admin:sessions:list').length).toBeGreaterThan(before));
    expect(await screen.findByText('2 live sessions')).toBeTruthy();
  });
});

describe('Sessions: window and profile', () => {
  for (const [language, header, words] of [
    ['en', 'Window', ['Window 1', 'Window 7']],
    ['zh-CN', '窗口', ['窗口 1', '窗口 7']],
  ] as const) {
    it(`names the window each session is bound to and the profile with its avatar (${language})`, async () => {
      renderConsole({
        language,
        before: (w) => {
          const bob = adminUser({ id: 2, username: 'bob', displayName: 'Bob Builder', avatarColor: '#2a6f97' });
          w.users.push(bob);
          w.session(w.users[0] as never, { current: true, windowId: 1 });
          w.session(bob, { windowId: 7 });
        },
      });
      const nav = screen.getByRole('navigation');
      await userEvent.click(within(nav).getByRole('button', { name: language === 'en' ? 'Sessions' : '会话' }));
      const table = await screen.findByRole('table');
      const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
      const col = headers.indexOf(header);
      expect(col).toBeGreaterThan(0);
      const rows = within(table).getAllByRole('row').slice(1);
      // The window's number first; under it the session's short handle (a window can hold several profiles).
      const windowCells = rows.map((r) => within(r).getAllByRole('cell')[col] as HTMLElement);
      expect(windowCells.map((c) => c.firstElementChild?.textContent)).toEqual(words);
      for (const c of windowCells) expect(c.querySelector('code')?.textContent).toMatch(/^[0-9a-z]{8}$/);
      const bobCell = within(rows[1] as HTMLElement).getAllByRole('cell')[0] as HTMLElement;
      expect(spoken(bobCell)).toBe('bob · Bob Builder');
      const avatar = bobCell.querySelector('[aria-hidden="true"]') as HTMLElement;
      expect(avatar.textContent).toBe('B');
      expect(avatar.style.backgroundColor).toBe('#2a6f97');
    });
  }
});

describe('Audit log', () => {
  it('filters by event type, user and time range, pages, and shows absolute times on hover and focus', async () => {
    const { api } = renderConsole({
      before: (w) => {
        w.users.push(adminUser({ id: 2, username: 'bob' }));
        for (let i = 0; i < 60; i++) w.audit.push({ id: 60 - i, at: T0 - i * 60_000, type: i % 2 ? 'login.failure' : 'login.success', userId: 2, username: 'bob' });
      },
    });
    await open('Audit log');
    expect(await screen.findByText('60 events')).toBeTruthy();
    expect(screen.getByText('1–50 of 60')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('51–60 of 60')).toBeTruthy();

    await userEvent.selectOptions(screen.getByLabelText('Event'), 'login.failure');
    expect(await screen.findByText('30 events')).toBeTruthy();
    expect(api.calls('admin:audit:list').at(-1)).toMatchObject({ type: 'login.failure', offset: 0 });
    expect(screen.getAllByRole('cell', { name: 'Sign-in failed' })).toHaveLength(30);

    await userEvent.type(screen.getByRole('searchbox', { name: 'User' }), 'nobody{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('There is no user named “nobody”.');
    await userEvent.clear(screen.getByRole('searchbox', { name: 'User' }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'User' }), 'BOB{Enter}');
    await waitFor(() => expect(api.calls('admin:audit:list').at(-1)).toMatchObject({ userId: 2, type: 'login.failure' }));

    await userEvent.selectOptions(screen.getByLabelText('Time'), 'hour');
    await waitFor(() => expect(api.calls('admin:audit:list').at(-1)).toHaveProperty('since'));
    const since = (api.calls('admin:audit:list').at(-1) as { since: number }).since;
    expect(Math.abs(Date.now() - 3_600_000 - since)).toBeLessThan(60_000);

    await userEvent.selectOptions(screen.getByLabelText('Time'), 'custom');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-12-03T12:00' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-12-03T11:00' } });
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/start is after the end/);

    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(await screen.findByText('60 events')).toBeTruthy();
    const time = screen.getAllByRole('cell')[0]?.querySelector('time') as HTMLElement;
    expect(time.getAttribute('tabindex')).toBe('0');
    expect(time.getAttribute('title')).toBe(time.getAttribute('data-absolute'));
    expect(time.getAttribute('data-absolute')).toMatch(/2026/);
    // Relative words first; the absolute time also reaches screen readers.
    expect(time.textContent?.startsWith('in ') || time.textContent?.includes('ago')).toBe(true);
    expect(time.textContent).toContain(`(${time.getAttribute('data-absolute') ?? ''})`);
  });

  it('says what to do when filters match nothing', async () => {
    renderConsole();
    await open('Audit log');
    expect(await screen.findByText('Nothing has been recorded yet')).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText('Event'), 'user.deleted');
    expect(await screen.findByText('No events match these filters')).toBeTruthy();
    expect(screen.getByText('Widen the time range or clear the filters.')).toBeTruthy();
  });
});
