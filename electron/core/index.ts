import { join } from 'node:path';
import type { ProfileState, LockReason } from '../../shared/dto';
import type { EventName, Events } from '../../shared/contract';
import type { Reply } from '../../shared/errors';
import { AccountService } from './accounts/account-service';
import { PrefsRepository } from './accounts/prefs-repository';
import { Presenter } from './accounts/presenter';
import { APP_ID } from './app-identity';
import { AuditLog } from './audit/audit-log';
import { Authenticator } from './auth/authenticator';
import type { AuthBackend } from './auth/backends/auth-backend';
import { KeychainBackend } from './auth/backends/keychain-backend';
import { LocalDbBackend } from './auth/backends/local-db-backend';
import { KeyedMutex } from './auth/keyed-mutex';
import { LoginService } from './auth/login-service';
import { LoginThrottle } from './auth/login-throttle';
import { PasswordHasher } from './auth/password-hasher';
import { PrincipalDirectory } from './auth/permissions';
import { RememberedDevices } from './auth/remembered-devices';
import { systemClock, timerScheduler, type Clock, type Scheduler } from './clock';
import { ChangeTracker, DB_FILE, openDatabase } from './db/database';
import { FALLBACK_AUTOCHECKPOINT_FRAMES, WalCheckpointer } from './db/wal-checkpointer';
import type { Keychain } from './keychain/keychain';
import { KeychainStatus } from './keychain/keychain-status';
import { TimeoutKeychain } from './keychain/timeout-keychain';
import { WorkerKeychain } from './keychain/worker-keychain';
import { errorFacts, stderrLogger, type Logger } from './log';
import { accountHandlers } from './router/handlers/account-handlers';
import { adminHandlers } from './router/handlers/admin-handlers';
import { authHandlers } from './router/handlers/auth-handlers';
import { passwordHandlers } from './router/handlers/password-handlers';
import type { HandlerMap } from './router/handler-types';
import { Router } from './router/router';
import type { Services } from './services';
import { BUILT_IN_AUTH_BACKENDS, SettingsError, loadSettings, requireUsableSettings, type SettingsInput } from './settings';
import { ActiveProfiles, type ProfilesListener } from './sessions/active-profiles';
import { SessionManager, type UserStatus } from './sessions/session-manager';
import type { SessionStore, StoreStatus } from './sessions/session-store';
import { openRedisSessions } from './sessions/stores/redis-sessions';
import { SessionSweeper } from './sessions/session-sweeper';
import { MemorySessionStore } from './sessions/stores/memory-session-store';
import { SqliteSessionStore } from './sessions/stores/sqlite-session-store';
import { PermissionRepository } from './users/permission-repository';
import { UserRepository } from './users/user-repository';

export type { Clock, Scheduler } from './clock';
export type { Keychain } from './keychain/keychain';
export type { AuthBackend } from './auth/backends/auth-backend';
export { SettingsError } from './settings';
export { DamagedDatabaseError, DatabaseOpenError, EmptyDatabaseError } from './db/database';

export interface CoreOptions {
  dataDir: string;
  settings?: Partial<SettingsInput>;
  clock?: Clock;
  scheduler?: Scheduler;
  keychain?: Keychain;
  /** Custom authentication backends, usable by name in settings.authBackends. */
  backends?: Record<string, AuthBackend>;
  logger?: Logger;
}

export type EventListener = <E extends EventName>(senderId: number, event: E, payload: Events[E]) => void;

export interface Core {
  dispatch(senderId: number, channel: string, payload: unknown): Promise<Reply>;
  onEvent(listener: EventListener): () => void;
  senderClosed(senderId: number): Promise<void>;
  profilesOf(senderId: number): ProfileState[];
  /** Handle of the profile the window shows (reported through profiles:activate), or null. */
  activeProfileOf(senderId: number): string | null;
  /**
   * Fired (on a microtask, once per window per burst) when the window's sessions start,
   * end, lock or unlock, or its active profile changes: the Account menu rebuilds on it.
   */
  onProfilesChanged(listener: (senderId: number) => void): () => void;
  lockAll(reason: 'lock-all' | 'suspend' | 'screen-lock'): Promise<number>;
  sweep(): Promise<number>;
  close(): Promise<void>;
}

/** A keychain call that does not answer in this time counts as unavailable. */
const KEYCHAIN_TIMEOUT_MS = 5000;

/**
 * The one composition root: builds every service with plain constructor
 * parameters, ends the sessions an earlier run left, starts the sweeper.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const settings = loadSettings(options.dataDir, options.settings);
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? timerScheduler;
  const log = options.logger ?? stderrLogger;
  // Before the database is opened; `manage` refuses the same settings through the same check.
  requireUsableSettings(settings, [...BUILT_IN_AUTH_BACKENDS, ...Object.keys(options.backends ?? {})]);
  const db = openDatabase(options.dataDir, { clock, log });
  // Checkpoints run in a worker thread; SQLite's own (on the main thread) at its default
  // if the worker cannot start, else only as the fallback for when the worker is behind.
  const checkpointer = new WalCheckpointer({ path: join(options.dataDir, DB_FILE), log, scheduler: timerScheduler });
  if (checkpointer.start()) db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_FRAMES}`);
  // The default OS keychain runs in a worker thread: @napi-rs/keyring connects to D-Bus
  // synchronously, and a bus that never answers must not freeze the main process.
  const osKeychain = options.keychain ?? new WorkerKeychain({ timeoutMs: KEYCHAIN_TIMEOUT_MS, scheduler });
  const closeKeychain = () =>
    osKeychain instanceof WorkerKeychain && osKeychain !== options.keychain ? osKeychain.close() : Promise.resolve();
  let closeRedis = (): Promise<void> => Promise.resolve();
  try {
    const changes = new ChangeTracker(db);
    const transaction = <T>(fn: () => T): T => db.transaction(fn)();
    const users = new UserRepository(db, clock, changes);
    const permissions = new PermissionRepository(db, changes);
    const directory = new PrincipalDirectory(users, permissions, changes);
    const audit = new AuditLog({ db, clock });
    const hasher = new PasswordHasher({ cost: settings.bcryptCost });
    const keychain = new TimeoutKeychain(osKeychain, { timeoutMs: KEYCHAIN_TIMEOUT_MS, scheduler });
    const keychainStatus = new KeychainStatus(keychain, APP_ID, log);
    const remembered = new RememberedDevices({
      db, clock, keychain, status: keychainStatus, service: APP_ID, rememberDays: settings.rememberDays, log,
    });
    const listeners = new Set<EventListener>();
    const emit: EventListener = (senderId, event, payload) => {
      for (const l of [...listeners]) {
        try {
          l(senderId, event, payload);
        } catch (e) {
          // Never the message: a listener's error may quote the payload's session ID.
          log.error('event listener failed', { event, ...errorFacts(e) });
        }
      }
    };
    const redis = settings.sessionEngine === 'redis' ? openRedisSessions({ db, settings, clock, log, audit }) : null;
    if (redis) closeRedis = () => redis.close();
    const store: SessionStore =
      redis ?? (settings.sessionEngine === 'memory' ? new MemorySessionStore() : new SqliteSessionStore(db));
    const storeStatus = (): StoreStatus => redis?.status() ?? { engine: settings.sessionEngine, available: true };
    const userStatus = (id: number): UserStatus => {
      const p = directory.get(id);
      return !p ? 'missing' : p.user.isActive ? 'active' : 'inactive';
    };
    const activeProfiles: ActiveProfiles = new ActiveProfiles({ ofSender: (id) => sessions.ofSender(id), log });
    const sessions = new SessionManager({
      store, clock, settings, changes, audit, emit, userStatus, transaction,
      senderChanged: (id) => activeProfiles.changed(id),
    });

    const registry = new Map<string, AuthBackend>([
      ['local-db', new LocalDbBackend(users, hasher)],
      ['keychain', new KeychainBackend(remembered)],
    ]);
    for (const [name, backend] of Object.entries(options.backends ?? {})) {
      if (registry.has(name)) throw new SettingsError(`authentication backend "${name}" is built in and cannot be replaced`);
      registry.set(name, backend);
    }
    const authenticator = new Authenticator(settings.authBackends, registry, {
      findUser: (identifier) => {
        const u = users.findByIdentifier(identifier);
        return u ? { id: u.id, username: u.username, isActive: u.isActive } : null;
      },
    });
    const throttle = new LoginThrottle({ db, clock, maxFailures: settings.loginMaxFailures });
    const services: Services = {
      settings, clock, changes, transaction, users, permissions, directory, hasher, audit, sessions, remembered, storeStatus,
      activeProfiles,
      authBackends: settings.authBackends,
      login: new LoginService({ authenticator, throttle, users, hasher, audit }),
      accounts: new AccountService({
        db, users, permissions, hasher, audit, remembered, sessions, passwordMinLength: settings.passwordMinLength,
      }),
      prefs: new PrefsRepository(db),
      keychain: keychainStatus,
      presenter: new Presenter(directory, permissions, settings),
      setupLock: new KeyedMutex(),
    };
    const handlers: HandlerMap = {
      ...authHandlers(services),
      ...accountHandlers(services),
      ...adminHandlers(services),
      ...passwordHandlers(services),
    };
    const router = new Router(services, handlers, log);
    const sweeper = new SessionSweeper({
      manager: sessions, store, clock, scheduler, changes, settings, transaction, log, userStatus,
    });

    // Redis: the first connection ends this installation's leftovers (and only then may
    // anyone sign in). Unreachable at start: the app starts and reports it (see
    // docs/architecture.md, "Session stores"), never falls back to another engine.
    if (redis) await redis.start();
    else sessions.endLeftovers();
    await keychainStatus.probe();
    sweeper.start();

    let closed = false;
    const closedReply: Reply = { ok: false, error: { code: 'INTERNAL', message: 'The app is shutting down.' } };
    return {
      dispatch: (senderId, channel, payload) => (closed ? Promise.resolve(closedReply) : router.dispatch(senderId, channel, payload)),
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async senderClosed(senderId) {
        if (!closed) sessions.endSender(senderId, 'window-closed');
      },
      profilesOf(senderId) {
        return sessions.ofSender(senderId).map((s) => {
          const user = directory.get(s.userId)?.user;
          return {
            handle: s.handle,
            username: user?.username ?? '',
            displayName: user?.displayName ?? '',
            avatarColor: user?.avatarColor ?? '',
            locked: s.locked,
          };
        });
      },
      activeProfileOf: (senderId) => activeProfiles.handleOf(senderId),
      onProfilesChanged: (listener: ProfilesListener) => activeProfiles.onChange(listener),
      async lockAll(reason: LockReason & ('lock-all' | 'suspend' | 'screen-lock')) {
        if (closed) return 0;
        if (reason === 'suspend' && !settings.lockOnSuspend) return 0;
        if (reason === 'screen-lock' && !settings.lockOnScreenLock) return 0;
        return sessions.lockAll(reason);
      },
      async sweep() {
        return closed ? 0 : sweeper.sweepAll();
      },
      async close() {
        if (closed) return;
        closed = true;
        activeProfiles.close();
        sweeper.stop();
        await closeRedis();
        await checkpointer.close();
        db.close(); // the last connection to close checkpoints and removes the WAL
        await closeKeychain();
      },
    };
  } catch (e) {
    await closeRedis();
    await checkpointer.close();
    db.close();
    await closeKeychain();
    throw e;
  }
}
