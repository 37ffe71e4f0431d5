import { z } from 'zod';
import type {
  AdminSessionInfo,
  AdminUser,
  AppInfo,
  AuditItem,
  EndReason,
  Group,
  JsonValue,
  List,
  LockReason,
  LoginResult,
  PasswordCheck,
  Permission,
  Prefs,
  RememberedProfile,
  SessionInfo,
  User,
} from './dto';

/**
 * The IPC contract: one typed map, channel name -> request schema -> response type.
 * Main (router), preload and renderer all import it; it imports neither side.
 * Domain rules (username syntax, password policy) are checked in the main process
 * and answered with field errors; the schemas here fix types and sane bounds.
 */

/** Columns admin:users:list can order by. */
export const USER_SORT_KEYS = ['id', 'username', 'displayName', 'email', 'lastLogin', 'createdAt'] as const;
export type UserSortKey = (typeof USER_SORT_KEYS)[number];

/** Raw payload bound, measured before any schema runs. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Session data bound, as JSON. */
export const MAX_SESSION_DATA_BYTES = 64 * 1024;
export const MAX_SESSION_KEY_LENGTH = 128;

/** Optional in every schema: the router answers NOT_AUTHENTICATED when it is missing or empty. */
const sessionId = z.string().max(256).optional();
const text = (max: number) => z.string().max(max);
const password = z.string().max(4096);
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const offset = z.number().int().min(0).max(1_000_000_000).optional();
const limit = z.number().int().min(1).max(500).optional();
const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const permissionList = z.array(text(255)).max(1000);
const nullableText = (max: number) => z.union([text(max), z.null()]).optional();
const theme = z.enum(['system', 'light', 'dark']);
const locale = z.enum(['system', 'en', 'zh-CN']);

const userFields = {
  email: nullableText(320),
  phone: nullableText(64),
  displayName: nullableText(1024),
  isActive: z.boolean().optional(),
  isStaff: z.boolean().optional(),
  isSuperuser: z.boolean().optional(),
  mustChangePassword: z.boolean().optional(),
  groups: z.array(text(255)).max(1000).optional(),
  permissions: permissionList.optional(),
};

const empty = z.strictObject({});
const withSession = z.strictObject({ sessionId });

interface ChannelDef<S extends z.ZodType, R> {
  request: S;
  /** Phantom: carries the response type only. */
  response?: R;
}

function channel<R>() {
  return <S extends z.ZodType>(request: S): ChannelDef<S, R> => ({ request });
}

export const channels = {
  'app:info': channel<AppInfo>()(empty),
  'setup:create-admin': channel<LoginResult>()(
    z.strictObject({ username: text(1024), password, email: nullableText(320), displayName: nullableText(1024) }),
  ),
  'auth:login': channel<LoginResult>()(
    z.strictObject({ username: text(1024), password, remember: z.boolean().optional() }),
  ),
  'auth:login-remembered': channel<LoginResult>()(z.strictObject({ username: text(1024) })),
  'auth:logout': channel<Record<string, never>>()(z.strictObject({ sessionId, forget: z.boolean().optional() })),
  'auth:session': channel<{ user: User | null; session: SessionInfo | null }>()(withSession),
  'auth:activity': channel<{ idleExpiresAt: number }>()(withSession),
  'auth:lock': channel<Record<string, never>>()(withSession),
  'auth:unlock': channel<LoginResult>()(z.strictObject({ sessionId, password })),
  'auth:reauthenticate': channel<{ sudoUntil: number }>()(z.strictObject({ sessionId, password })),
  'profiles:list': channel<List<RememberedProfile>>()(empty),
  'profiles:forget': channel<Record<string, never>>()(z.strictObject({ username: text(1024) })),
  /** The renderer reports which of its profiles it shows (the Account menu checks it). */
  'profiles:activate': channel<Record<string, never>>()(withSession),
  /**
   * Public: the live strength meter. The policy's own reasons (all but 'same-as-current',
   * which needs the stored hash) and an advisory strength score. Nothing is stored or logged.
   */
  'password:check': channel<PasswordCheck>()(
    z.strictObject({ password, username: text(1024).optional(), email: nullableText(320), displayName: nullableText(1024) }),
  ),
  'session:data:get': channel<JsonValue | null>()(
    z.strictObject({ sessionId, key: text(MAX_SESSION_KEY_LENGTH).min(1) }),
  ),
  'session:data:set': channel<Record<string, never>>()(
    z.strictObject({ sessionId, key: text(MAX_SESSION_KEY_LENGTH).min(1), value: z.json() }),
  ),
  'session:data:delete': channel<Record<string, never>>()(
    z.strictObject({ sessionId, key: text(MAX_SESSION_KEY_LENGTH).min(1) }),
  ),
  'session:data:clear': channel<Record<string, never>>()(withSession),
  'account:update': channel<User>()(
    z.strictObject({ sessionId, displayName: nullableText(1024), email: nullableText(320), phone: nullableText(64) }),
  ),
  'account:change-password': channel<LoginResult>()(
    z.strictObject({ sessionId, currentPassword: password, newPassword: password }),
  ),
  'account:sessions': channel<List<SessionInfo>>()(withSession),
  'account:revoke-session': channel<Record<string, never>>()(z.strictObject({ sessionId, handle: text(64) })),
  'prefs:get': channel<Prefs>()(withSession),
  'prefs:set': channel<Prefs>()(z.strictObject({ sessionId, theme: theme.optional(), locale: locale.optional() })),
  'admin:users:list': channel<List<AdminUser>>()(
    z.strictObject({
      sessionId,
      query: text(256).optional(),
      /** Only the members of this group. */
      groupId: id.optional(),
      offset,
      limit,
      /** Column to order by (default 'id'); ties break by id. */
      sort: z.enum(USER_SORT_KEYS).optional(),
      order: z.enum(['asc', 'desc']).optional(),
    }),
  ),
  'admin:users:create': channel<AdminUser>()(
    z.strictObject({ sessionId, username: text(1024), password, ...userFields }),
  ),
  'admin:users:update': channel<AdminUser>()(
    z.strictObject({ sessionId, userId: id, username: text(1024).optional(), ...userFields }),
  ),
  'admin:users:set-password': channel<Record<string, never>>()(
    /** mustChangePassword defaults to true: the user picks their own password at next sign-in. */
    z.strictObject({ sessionId, userId: id, password, mustChangePassword: z.boolean().optional() }),
  ),
  'admin:users:delete': channel<Record<string, never>>()(z.strictObject({ sessionId, userId: id })),
  'admin:groups:list': channel<List<Group>>()(withSession),
  'admin:permissions:list': channel<List<Permission>>()(withSession),
  'admin:groups:create': channel<Group>()(z.strictObject({ sessionId, name: text(1024), permissions: permissionList })),
  'admin:groups:update': channel<Group>()(
    z.strictObject({ sessionId, groupId: id, name: text(1024).optional(), permissions: permissionList.optional() }),
  ),
  'admin:groups:delete': channel<Record<string, never>>()(z.strictObject({ sessionId, groupId: id })),
  'admin:sessions:list': channel<List<AdminSessionInfo>>()(
    z.strictObject({ sessionId, userId: id.optional(), offset, limit }),
  ),
  'admin:sessions:revoke': channel<Record<string, never>>()(z.strictObject({ sessionId, handle: text(64) })),
  'admin:audit:list': channel<List<AuditItem>>()(
    z.strictObject({
      sessionId,
      offset,
      limit,
      type: text(64).optional(),
      userId: id.optional(),
      /** Inclusive bounds on the event time, UTC epoch ms. */
      since: epochMs.optional(),
      until: epochMs.optional(),
    }),
  ),
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = Exclude<Channels[C]['response'], undefined>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

/** Events pushed from main to a window. */
export interface Events {
  'session:ended': { sessionId: string; handle: string; reason: EndReason };
  'session:locked': { sessionId: string; handle: string; reason: LockReason };
  'menu:command': { command: string; username?: string };
}
export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = ['session:ended', 'session:locked', 'menu:command'];
