/**
 * Which parts of the admin console a profile may see, from its effective permissions
 * (`User.permissions`, 'app_label.codename'; a superuser's list holds every one).
 *
 * Small and eager on purpose: Home and the switcher import it to decide whether to show
 * "Admin console" without loading the console itself (a lazy chunk). The core checks
 * every channel again; hiding a section is a courtesy, not the defence.
 */

export type AdminSection = 'users' | 'groups' | 'sessions' | 'audit';

export const ADMIN_SECTIONS: readonly AdminSection[] = ['users', 'groups', 'sessions', 'audit'];

/** The permission that opens each section (the one its list channel requires). */
export const SECTION_PERMISSION: Readonly<Record<AdminSection, string>> = {
  users: 'auth.view_user',
  groups: 'auth.view_group',
  sessions: 'sessions.view_session',
  audit: 'audit.view_event',
};

/** Permissions for the actions inside the sections (the router's table, mirrored). */
export const ACTION_PERMISSION = {
  addUser: 'auth.add_user',
  changeUser: 'auth.change_user',
  deleteUser: 'auth.delete_user',
  addGroup: 'auth.add_group',
  changeGroup: 'auth.change_group',
  deleteGroup: 'auth.delete_group',
  viewGroup: 'auth.view_group',
  endSession: 'sessions.delete_session',
} as const;

export type AdminAction = keyof typeof ACTION_PERMISSION;

export function visibleSections(permissions: readonly string[]): AdminSection[] {
  return ADMIN_SECTIONS.filter((s) => permissions.includes(SECTION_PERMISSION[s]));
}

/** True when at least one section is visible: the "Admin console" entry shows. */
export function canOpenAdminConsole(permissions: readonly string[]): boolean {
  return visibleSections(permissions).length > 0;
}

export function can(permissions: readonly string[], action: AdminAction): boolean {
  return permissions.includes(ACTION_PERMISSION[action]);
}
