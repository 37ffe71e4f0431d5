import { avatarColorFor } from './avatar-color';

/** A user as the domain sees it. Never sent to the renderer as is (it holds the hash). */
export interface UserRecord {
  id: number;
  username: string;
  email: string | null;
  phone: string | null;
  displayName: string;
  avatarColor: string;
  passwordHash: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  mustChangePassword: boolean;
  createdAt: number;
  lastLoginAt: number | null;
  passwordChangedAt: number;
}

export interface UserRow {
  id: number;
  username: string;
  email: string | null;
  phone: string | null;
  display_name: string;
  password_hash: string;
  is_active: number;
  is_staff: number;
  is_superuser: number;
  must_change_password: number;
  created_at: number;
  last_login_at: number | null;
  password_changed_at: number;
}

export const USER_COLUMNS =
  'id, username, email, phone, display_name, password_hash, is_active, is_staff, is_superuser, ' +
  'must_change_password, created_at, last_login_at, password_changed_at';

/** The one place a row becomes a domain object (snake_case stays in SQL). */
export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    phone: row.phone,
    displayName: row.display_name,
    avatarColor: avatarColorFor(row.id),
    passwordHash: row.password_hash,
    isActive: row.is_active === 1,
    isStaff: row.is_staff === 1,
    isSuperuser: row.is_superuser === 1,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
    passwordChangedAt: row.password_changed_at,
  };
}
