import { describe, expect, it } from 'vitest';
import { can, canOpenAdminConsole, visibleSections } from '../../../renderer/src/admin/admin-access';

describe('admin-access', () => {
  it('shows a section only with its own view permission, and the console with at least one', () => {
    expect(visibleSections([])).toEqual([]);
    expect(canOpenAdminConsole([])).toBe(false);
    expect(canOpenAdminConsole(['auth.add_user'])).toBe(false); // add without view opens nothing
    expect(visibleSections(['audit.view_event'])).toEqual(['audit']);
    expect(visibleSections(['sessions.view_session', 'auth.view_user'])).toEqual(['users', 'sessions']);
    expect(canOpenAdminConsole(['auth.view_group'])).toBe(true);
    expect(can(['auth.delete_user'], 'deleteUser')).toBe(true);
    expect(can(['auth.view_user'], 'deleteUser')).toBe(false);
  });
});
