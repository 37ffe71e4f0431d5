import type { ChannelName, EventName, Events, RequestOf, ResponseOf } from '../../shared/contract';
import type { AppInfo, LoginResult, SessionInfo, User } from '../../shared/dto';
import type { ErrorBody, ErrorCode, Reply } from '../../shared/errors';
import type { AccountsApi } from '../../renderer/src/accounts-api';

/**
 * A fake `window.accounts` for component tests, typed by shared/contract.ts.
 *
 *   const api = new FakeAccountsApi();
 *   api.handle('auth:login', ({ username }) => ok(loginResult({ username })));
 *   api.fail('auth:login-remembered', 'KEYCHAIN_UNAVAILABLE');
 *   render(<App client={createAccountsClient(api)} />);
 *   api.emit('session:ended', { sessionId, handle, reason: 'idle' });
 *   api.calls('auth:activity')  // payloads, in order
 *
 * A channel without a handler answers NOT_FOUND (and is logged), so a test sees
 * an unexpected call instead of hanging. Handlers may be async.
 */
export type FakeHandler<C extends ChannelName> = (
  payload: RequestOf<C>,
) => Reply<ResponseOf<C>> | Promise<Reply<ResponseOf<C>>>;

export interface CallRecord {
  channel: string;
  payload: unknown;
}

export class FakeAccountsApi implements AccountsApi {
  readonly log: CallRecord[] = [];
  private readonly handlers = new Map<string, (payload: unknown) => Reply | Promise<Reply>>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  constructor(defaults = true) {
    if (defaults) installDefaults(this);
  }

  handle<C extends ChannelName>(channel: C, handler: FakeHandler<C>): this {
    this.handlers.set(channel, handler as (payload: unknown) => Reply);
    return this;
  }

  /** Any channel name, for channels added to the contract after this file (e.g. profiles:activate). */
  handleRaw(channel: string, handler: (payload: unknown) => Reply | Promise<Reply>): this {
    this.handlers.set(channel, handler);
    return this;
  }

  fail(channel: ChannelName, code: ErrorCode, extra: Partial<ErrorBody> = {}): this {
    this.handlers.set(channel, () => err(code, extra));
    return this;
  }

  async invoke(channel: string, payload: unknown): Promise<Reply> {
    this.log.push({ channel, payload });
    const handler = this.handlers.get(channel);
    if (!handler) return err('NOT_FOUND', { message: `fake: no handler for ${channel}` });
    return handler(payload);
  }

  on(event: string, cb: (payload: unknown) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(cb);
    this.listeners.set(event, set);
    return () => set.delete(cb);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const cb of [...(this.listeners.get(event) ?? [])]) cb(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Payloads sent on one channel, in order. */
  calls<C extends ChannelName>(channel: C): RequestOf<C>[];
  calls(channel: string): unknown[];
  calls(channel: string): unknown[] {
    return this.log.filter((c) => c.channel === channel).map((c) => c.payload);
  }
}

export function ok<T>(data: T): Reply<T> {
  return { ok: true, data };
}

export function err(code: ErrorCode, extra: Partial<ErrorBody> = {}): { ok: false; error: ErrorBody } {
  return { ok: false, error: { code, message: extra.message ?? code, ...extra } };
}

export const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);
export const IDLE_MS = 15 * 60_000;

export function makeUser(overrides: Partial<User> = {}): User {
  const username = overrides.username ?? 'alice';
  return {
    id: 1,
    username,
    email: `${username}@example.com`,
    phone: null,
    displayName: username.charAt(0).toUpperCase() + username.slice(1),
    avatarColor: '#3563d9',
    isStaff: false,
    isSuperuser: false,
    permissions: [],
    lastLoginAt: T0 - 86_400_000,
    mustChangePassword: false,
    ...overrides,
  };
}

export function makeSession(overrides: Partial<SessionInfo> = {}, now = T0): SessionInfo {
  return {
    handle: 'a1b2c3d4e5f60718',
    createdAt: now,
    lastActivityAt: now,
    idleExpiresAt: now + IDLE_MS,
    absoluteExpiresAt: now + 12 * 3_600_000,
    locked: false,
    current: true,
    ...overrides,
  };
}

let sequence = 0;
/** A LoginResult with a fresh session ID and handle for `user`. */
export function loginResult(user: Partial<User> = {}, extra: Partial<LoginResult> = {}, now = T0): LoginResult {
  sequence += 1;
  const handle = sequence.toString(16).padStart(16, '0');
  return {
    sessionId: `sid-${user.username ?? 'alice'}-${sequence}`,
    user: makeUser(user),
    session: makeSession({ handle }, now),
    remembered: false,
    previousSignIn: { at: T0 - 86_400_000, failedAttempts: 0 },
    ...extra,
  };
}

export function appInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    setupRequired: false,
    keychain: { available: true },
    authBackends: ['local-db', 'keychain'],
    version: '0.1.0',
    passwordPolicy: { minLength: 12, maxLength: 1024 },
    sessions: { idleTimeoutMs: IDLE_MS, idleAction: 'logout', maxProfilesPerWindow: 5 },
    ...overrides,
  };
}

/** What a freshly set-up app answers: no remembered profiles, default prefs, empty lists. */
function installDefaults(api: FakeAccountsApi): void {
  api
    .handle('app:info', () => ok(appInfo()))
    .handle('profiles:list', () => ok({ items: [], total: 0 }))
    .handle('prefs:get', () => ok({ theme: 'system', locale: 'system' }))
    .handle('prefs:set', (p) => ok({ theme: p.theme ?? 'system', locale: p.locale ?? 'system' }))
    .handle('auth:logout', () => ok({}))
    .handle('auth:lock', () => ok({}))
    .handle('auth:activity', () => ok({ idleExpiresAt: T0 + IDLE_MS }))
    .handle('account:sessions', () => ok({ items: [], total: 0 }))
    .handle('password:check' as ChannelName, () => ok({ reasons: [], score: 4, suggestions: [] }) as never)
    .handleRaw('profiles:activate', () => ok({}));
}
