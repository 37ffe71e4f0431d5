import type { Transaction } from 'better-sqlite3';
import type { EndReason } from '../../shared/dto';
import { AccountService, type SessionEnder } from '../core/accounts/account-service';
import { APP_ID } from '../core/app-identity';
import { AuditLog } from '../core/audit/audit-log';
import { LoginThrottle } from '../core/auth/login-throttle';
import { PasswordHasher } from '../core/auth/password-hasher';
import { RememberedDevices } from '../core/auth/remembered-devices';
import { systemClock, timerScheduler, type Clock } from '../core/clock';
import { ChangeTracker, openDatabase, type Sqlite } from '../core/db/database';
import type { Keychain } from '../core/keychain/keychain';
import { KeychainStatus } from '../core/keychain/keychain-status';
import { OsKeychain } from '../core/keychain/os-keychain';
import { TimeoutKeychain } from '../core/keychain/timeout-keychain';
import { silentLogger, stderrLogger, type Logger } from '../core/log';
import type { Settings } from '../core/settings';
import type { SessionStore } from '../core/sessions/session-store';
import { SqliteSessionStore } from '../core/sessions/stores/sqlite-session-store';
import { openRedisStore } from '../core/sessions/stores/redis-sessions';
import { RedisSessionEnder } from './redis-session-ender';
import { PermissionRepository } from '../core/users/permission-repository';
import { UserRepository } from '../core/users/user-repository';
import type { PromptInput, PromptOutput } from './password-prompt';

/** Everything `manage` touches outside itself, so the commands never read globals. */
export interface CliIo {
  stdin: PromptInput;
  stdout: PromptOutput;
  stderr: PromptOutput;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
  cwd: string;
}

/** A keychain call that does not answer in this time counts as unavailable (as in the app). */
export const CLI_KEYCHAIN_TIMEOUT_MS = 5000;

/** Audit detail that marks an action as done offline with `manage`. */
export const VIA_MANAGE = { via: 'manage' } as const;

const PAGE = 500;

/**
 * The CLI's SessionEnder: deletes the user's rows from the sessions table. A running
 * app sees the commit through PRAGMA data_version and ends those sessions on their
 * next call or sweep (reason `revoked`), which is how an offline password change
 * reaches windows that are still open. Listing and deleting happen in one IMMEDIATE
 * transaction, so a session the app writes meanwhile cannot slip between the two.
 */
export class TableSessionEnder implements SessionEnder {
  /** How many rows this ender deleted so far. */
  ended = 0;
  private readonly endTx: Transaction<(userId: number, keep: string | null) => number>;

  constructor(
    store: SessionStore,
    db: Sqlite,
    private readonly audit: AuditLog,
  ) {
    this.endTx = db.transaction((userId: number, keep: string | null) => {
      const hashes: string[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = store.list({ userId, offset, limit: PAGE });
        for (const s of page.items) if (s.hash !== keep) hashes.push(s.hash);
        if (page.items.length < PAGE) break;
      }
      return store.deleteMany(hashes);
    });
  }

  endUser(userId: number, reason: EndReason, except?: { hash: string }): number {
    const n = this.endTx.immediate(userId, except?.hash ?? null);
    if (n > 0) this.audit.record({ type: 'sessions.revoked', userId, detail: { count: n, reason, ...VIA_MANAGE } });
    this.ended += n;
    return n;
  }
}

/** The domain, built for one command on <dataDir>/accounts.db (no IPC, no SessionManager). */
export interface CliContext {
  dataDir: string;
  settings: Settings;
  clock: Clock;
  db: Sqlite;
  users: UserRepository;
  audit: AuditLog;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  sessions: SqliteSessionStore;
  ender: TableSessionEnder;
  /** The redis engine's store and ender (null for sqlite and memory); see RedisSessionEnder. */
  redis: RedisSessionEnder | null;
  keychain: KeychainStatus;
  remembered: RememberedDevices;
  accounts: AccountService;
  close(): void;
}

export interface CliContextOptions {
  settings: Settings;
  clock?: Clock;
  /** Defaults to the OS keychain, bounded by CLI_KEYCHAIN_TIMEOUT_MS. */
  keychain?: Keychain;
  /** Where opening reports tightened file modes (one line); defaults to stderr. */
  log?: Logger;
}

/**
 * Opens (creating and migrating if needed, as the app does) the database and builds
 * the services a command needs, with the settings from <dataDir>/settings.json, so
 * bcryptCost, passwordMinLength, loginMaxFailures and rememberDays are the app's.
 */
export function openCliContext(dataDir: string, options: CliContextOptions): CliContext {
  const { settings } = options;
  const clock = options.clock ?? systemClock;
  const db = openDatabase(dataDir, { clock, log: options.log ?? stderrLogger });
  try {
    const changes = new ChangeTracker(db);
    const users = new UserRepository(db, clock, changes);
    const permissions = new PermissionRepository(db, changes);
    const audit = new AuditLog({ db, clock });
    const hasher = new PasswordHasher({ cost: settings.bcryptCost });
    const throttle = new LoginThrottle({ db, clock, maxFailures: settings.loginMaxFailures });
    const sessions = new SqliteSessionStore(db);
    const redis =
      settings.sessionEngine === 'redis'
        ? new RedisSessionEnder(openRedisStore({ db, settings, clock, name: 'local-accounts:manage' }), audit)
        : null;
    const ender = new TableSessionEnder(sessions, db, audit);
    const inner = options.keychain ?? new OsKeychain();
    const keychainApi = new TimeoutKeychain(inner, { timeoutMs: CLI_KEYCHAIN_TIMEOUT_MS, scheduler: timerScheduler });
    // The commands report the keychain's state themselves, in one readable line.
    const keychain = new KeychainStatus(keychainApi, APP_ID, silentLogger);
    const remembered = new RememberedDevices({
      db, clock, keychain: keychainApi, status: keychain, service: APP_ID, rememberDays: settings.rememberDays, log: silentLogger,
    });
    const accounts = new AccountService({
      db, users, permissions, hasher, audit, remembered, sessions: redis ?? ender, passwordMinLength: settings.passwordMinLength,
    });
    return {
      dataDir, settings, clock, db, users, audit, hasher, throttle, sessions, ender, redis, keychain, remembered, accounts,
      close: () => {
        redis?.close();
        db.close();
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
