import type { Statement } from 'better-sqlite3';
import type { ChangeTracker, Sqlite } from '../db/database';
import { AppError, validationError } from '../errors';
import { codePointLength, foldKey } from './user-normalize';
import { hasControlCharacters } from './user-validation';

export interface PermissionInfo {
  /** The full 'app_label.codename'. */
  codename: string;
  name: string;
}

export interface GroupRecord {
  id: number;
  name: string;
  permissions: string[];
}

const GROUP_NAME_MAX = 150;

/**
 * Groups, permissions and the user <-> group/permission links (Django's
 * PermissionsMixin tables). Writes bump the ChangeTracker.
 */
export class PermissionRepository {
  private readonly userPerms: Statement<[number, number], string>;
  private readonly userGroupNames: Statement<[number], string>;
  private readonly allPerms: Statement<[], { codename: string; name: string }>;
  private readonly permId: Statement<[string, string], number>;
  private readonly groupById: Statement<[number], { id: number; name: string }>;
  private readonly groupIdByKey: Statement<[string], number>;
  private readonly groupPerms: Statement<[number], string>;
  private readonly allGroups: Statement<[], { id: number; name: string }>;
  private readonly userExists: Statement<[number], number>;
  private readonly insertGroup: Statement<[string, string]>;
  private readonly renameGroup: Statement<[string, string, number]>;
  private readonly deleteGroupById: Statement<[number]>;
  private readonly clearGroupPerms: Statement<[number]>;
  private readonly addGroupPerm: Statement<[number, number]>;
  private readonly clearUserGroups: Statement<[number]>;
  private readonly addUserGroup: Statement<[number, number]>;
  private readonly clearUserPerms: Statement<[number]>;
  private readonly addUserPerm: Statement<[number, number]>;

  constructor(
    private readonly db: Sqlite,
    private readonly changes: ChangeTracker,
  ) {
    const full = "p.app_label || '.' || p.codename";
    this.userPerms = db
      .prepare<[number, number], string>(
        `SELECT ${full} FROM user_permissions up JOIN permissions p ON p.id = up.permission_id WHERE up.user_id = +?
         UNION
         SELECT ${full} FROM user_groups ug JOIN group_permissions gp ON gp.group_id = ug.group_id
           JOIN permissions p ON p.id = gp.permission_id WHERE ug.user_id = +?`,
      )
      .pluck();
    this.userGroupNames = db
      .prepare<[number], string>(
        'SELECT g.name FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = ? ORDER BY g.name',
      )
      .pluck();
    this.allPerms = db.prepare(`SELECT ${full} AS codename, p.name FROM permissions p ORDER BY p.app_label, p.codename`);
    this.permId = db.prepare<[string, string], number>('SELECT id FROM permissions WHERE app_label = ? AND codename = ?').pluck();
    this.groupById = db.prepare('SELECT id, name FROM groups WHERE id = ?');
    this.groupIdByKey = db.prepare<[string], number>('SELECT id FROM groups WHERE name_key = ?').pluck();
    this.groupPerms = db
      .prepare<[number], string>(
        `SELECT ${full} FROM group_permissions gp JOIN permissions p ON p.id = gp.permission_id
         WHERE gp.group_id = ? ORDER BY 1`,
      )
      .pluck();
    this.allGroups = db.prepare('SELECT id, name FROM groups ORDER BY name_key');
    this.userExists = db.prepare<[number], number>('SELECT 1 FROM users WHERE id = ?').pluck();
    this.insertGroup = db.prepare('INSERT INTO groups (name, name_key) VALUES (?, ?)');
    this.renameGroup = db.prepare('UPDATE groups SET name = ?, name_key = ? WHERE id = ?');
    this.deleteGroupById = db.prepare('DELETE FROM groups WHERE id = ?');
    this.clearGroupPerms = db.prepare('DELETE FROM group_permissions WHERE group_id = ?');
    this.addGroupPerm = db.prepare('INSERT OR IGNORE INTO group_permissions (group_id, permission_id) VALUES (?, ?)');
    this.clearUserGroups = db.prepare('DELETE FROM user_groups WHERE user_id = ?');
    this.addUserGroup = db.prepare('INSERT OR IGNORE INTO user_groups (user_id, group_id) VALUES (?, ?)');
    this.clearUserPerms = db.prepare('DELETE FROM user_permissions WHERE user_id = ?');
    this.addUserPerm = db.prepare('INSERT OR IGNORE INTO user_permissions (user_id, permission_id) VALUES (?, ?)');
  }

  /** Direct and group permissions of a user, as 'app_label.codename' (flags not applied). */
  permissionsOf(userId: number): string[] {
    return this.userPerms.all(userId, userId);
  }

  groupsOf(userId: number): string[] {
    return this.userGroupNames.all(userId);
  }

  listPermissions(): PermissionInfo[] {
    return this.allPerms.all();
  }

  listGroups(): GroupRecord[] {
    return this.allGroups.all().map((g) => ({ ...g, permissions: this.groupPerms.all(g.id) }));
  }

  findGroup(id: number): GroupRecord | null {
    const g = this.groupById.get(id);
    return g ? { ...g, permissions: this.groupPerms.all(g.id) } : null;
  }

  /** VALIDATION_ERROR (name and permissions together), CONFLICT on a taken name. */
  createGroup(name: string, permissions: string[]): GroupRecord {
    const { clean, ids } = this.checkGroupInput(name, permissions) as { clean: string; ids: number[] };
    // The name check runs under the write lock, so another process cannot take it in between.
    const id = this.db.transaction(() => {
      this.assertGroupNameFree(clean, null);
      const gid = Number(this.insertGroup.run(clean, foldKey(clean)).lastInsertRowid);
      this.linkGroupPermissions(gid, ids);
      return gid;
    }).immediate();
    this.changes.bump();
    return this.findGroup(id) as GroupRecord;
  }

  updateGroup(id: number, patch: { name?: string; permissions?: string[] }): GroupRecord {
    if (!this.groupById.get(id)) throw new AppError('NOT_FOUND', 'That group does not exist.');
    const { clean, ids } = this.checkGroupInput(patch.name, patch.permissions);
    this.db.transaction(() => {
      if (clean !== undefined) {
        this.assertGroupNameFree(clean, id);
        this.renameGroup.run(clean, foldKey(clean), id);
      }
      if (ids !== undefined) {
        this.clearGroupPerms.run(id);
        this.linkGroupPermissions(id, ids);
      }
    }).immediate();
    this.changes.bump();
    return this.findGroup(id) as GroupRecord;
  }

  deleteGroup(id: number): void {
    if (this.deleteGroupById.run(id).changes === 0) {
      throw new AppError('NOT_FOUND', 'That group does not exist.');
    }
    this.changes.bump();
  }

  /**
   * Replaces the user's groups (by name, case-folded). Call inside the caller's
   * transaction. NOT_FOUND for an unknown user (rather than a foreign-key failure).
   */
  setUserGroups(userId: number, names: string[]): void {
    this.assertUser(userId);
    const ids = names.map((n) => [n, this.groupIdByKey.get(foldKey(n))] as const);
    const unknown = ids.filter(([, id]) => id === undefined).map(([n]) => n);
    if (unknown.length > 0) throw validationError({ groups: `Unknown group: ${unknown.join(', ')}.` });
    this.clearUserGroups.run(userId);
    for (const [, id] of ids) this.addUserGroup.run(userId, id as number);
    this.changes.bump();
  }

  /** Replaces the user's direct permissions. Call inside the caller's transaction. NOT_FOUND for an unknown user. */
  setUserPermissions(userId: number, codenames: string[]): void {
    this.assertUser(userId);
    const ids = this.permissionIds(codenames);
    this.clearUserPerms.run(userId);
    for (const id of ids) this.addUserPerm.run(userId, id);
    this.changes.bump();
  }

  /** Resolves 'app_label.codename' strings; VALIDATION_ERROR naming the unknown ones. */
  private permissionIds(codenames: string[]): number[] {
    const { ids, problem } = this.resolvePermissions(codenames);
    if (problem !== undefined) throw validationError({ permissions: problem });
    return ids;
  }

  private resolvePermissions(codenames: string[]): { ids: number[]; problem?: string } {
    const unknown: string[] = [];
    const ids: number[] = [];
    for (const full of codenames) {
      const dot = full.indexOf('.');
      const id = dot > 0 ? this.permId.get(full.slice(0, dot), full.slice(dot + 1)) : undefined;
      if (id === undefined) unknown.push(full);
      else ids.push(id);
    }
    return unknown.length > 0 ? { ids, problem: `Unknown permission: ${unknown.join(', ')}.` } : { ids };
  }

  private linkGroupPermissions(groupId: number, permissionIds: number[]): void {
    for (const pid of permissionIds) this.addGroupPerm.run(groupId, pid);
  }

  private assertUser(userId: number): void {
    if (this.userExists.get(userId) === undefined) throw new AppError('NOT_FOUND', 'That user does not exist.');
  }

  /** Normalizes the name and resolves the permissions; every problem in one VALIDATION_ERROR. */
  private checkGroupInput(name: string | undefined, permissions: string[] | undefined): { clean?: string; ids?: number[] } {
    const errors: Record<string, string> = {};
    const out: { clean?: string; ids?: number[] } = {};
    if (name !== undefined) {
      const clean = name.normalize('NFKC').trim();
      if (clean.length === 0) errors.name = 'Enter a group name.';
      else if (codePointLength(clean) > GROUP_NAME_MAX) errors.name = `Use at most ${GROUP_NAME_MAX} characters.`;
      else if (hasControlCharacters(clean)) errors.name = 'Remove control characters (such as line breaks).';
      else out.clean = clean;
    }
    if (permissions !== undefined) {
      const { ids, problem } = this.resolvePermissions(permissions);
      if (problem !== undefined) errors.permissions = problem;
      else out.ids = ids;
    }
    if (Object.keys(errors).length > 0) throw validationError(errors);
    return out;
  }

  private assertGroupNameFree(clean: string, selfId: number | null): void {
    const existing = this.groupIdByKey.get(foldKey(clean));
    if (existing !== undefined && existing !== selfId) {
      throw new AppError('CONFLICT', 'A group with this name already exists.', { fields: { name: 'This name is already taken.' } });
    }
  }
}
