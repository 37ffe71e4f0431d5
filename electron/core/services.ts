import type { AccountService } from './accounts/account-service';
import type { PrefsRepository } from './accounts/prefs-repository';
import type { Presenter } from './accounts/presenter';
import type { AuditLog } from './audit/audit-log';
import type { KeyedMutex } from './auth/keyed-mutex';
import type { LoginService } from './auth/login-service';
import type { PasswordHasher } from './auth/password-hasher';
import type { PrincipalDirectory } from './auth/permissions';
import type { RememberedDevices } from './auth/remembered-devices';
import type { Clock } from './clock';
import type { ChangeTracker } from './db/database';
import type { KeychainStatus } from './keychain/keychain-status';
import type { Settings } from './settings';
import type { ActiveProfiles } from './sessions/active-profiles';
import type { SessionManager } from './sessions/session-manager';
import type { StoreStatus } from './sessions/session-store';
import type { PermissionRepository } from './users/permission-repository';
import type { UserRepository } from './users/user-repository';

/** What the IPC handlers work with; built once by createCore (the composition root). */
export interface Services {
  settings: Settings;
  clock: Clock;
  /** Coherence of in-memory caches with the database (read once per call). */
  changes: ChangeTracker;
  /** Runs fn in one database transaction (nested calls become savepoints). */
  transaction: <T>(fn: () => T) => T;
  authBackends: string[];
  users: UserRepository;
  permissions: PermissionRepository;
  directory: PrincipalDirectory;
  hasher: PasswordHasher;
  login: LoginService;
  accounts: AccountService;
  prefs: PrefsRepository;
  audit: AuditLog;
  sessions: SessionManager;
  /** The session store's engine and whether it can be reached now (app:info). */
  storeStatus: () => StoreStatus;
  /** Each window's active profile (profiles:activate) and the Account menu's change signal. */
  activeProfiles: ActiveProfiles;
  remembered: RememberedDevices;
  keychain: KeychainStatus;
  presenter: Presenter;
  /** Serializes first-run setup, so two racing setups cannot both create an admin. */
  setupLock: KeyedMutex;
}
