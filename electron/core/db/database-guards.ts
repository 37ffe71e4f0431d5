import { chmodSync, statSync, type Stats } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Logger } from '../log';
import { DamagedDatabaseError } from './database-errors';

/**
 * Checks made when an existing accounts.db is opened, before anything is written to it
 * (database.ts runs them in that order: modes before SQLite opens the file, integrity
 * before the switch to WAL or any migration).
 */

/**
 * PRAGMA quick_check: reads every page and checks each b-tree's structure, but not that
 * indexes match their tables (integrity_check does that, at several times the cost; it
 * is `manage check`). Bounded: its cost grows with the file, ~ms per MB, measured by
 * `npm run bench` (startup_quick_check). Any answer other than "ok", or an SQLITE_CORRUPT
 * / SQLITE_NOTADB while checking, refuses the file with DamagedDatabaseError.
 */
export function requireQuickCheck(db: Database.Database, path: string): void {
  let answer: unknown;
  try {
    answer = db.pragma('quick_check(1)', { simple: true });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw new DamagedDatabaseError(path, e);
    throw e;
  }
  if (answer !== 'ok') throw new DamagedDatabaseError(path);
}

/** Full PRAGMA integrity_check: up to `limit` problems in SQLite's words ([] when sound). For `manage check`. */
export function integrityProblems(db: Database.Database, limit = 100): string[] {
  let rows: Record<string, unknown>[];
  try {
    rows = db.pragma(`integrity_check(${Math.max(1, Math.floor(limit))})`, { simple: false }) as Record<string, unknown>[];
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) return [`SQLite could not read the file (${code})`];
    throw e;
  }
  const lines = rows.map((r) => String(Object.values(r)[0]));
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/**
 * Owner-only modes for an existing data folder (0700) and accounts.db, -wal and -shm
 * (0600): a restored backup or a copied folder often arrives 0644, and then every local
 * user can read the password hashes and session data. Only group and other bits are
 * removed (a 0400 file stays 0400). Runs before SQLite opens the file, so a -wal or -shm
 * it creates afterwards gets the tightened mode. Exactly one log line when anything was
 * loosened, naming what changed (or could not be changed: a file owned by someone else,
 * or a shared folder such as /tmp given as the data folder, which is left open).
 * Nothing to do on Windows, whose files have no such modes.
 */
export function tightenModes(dataDir: string, dbPath: string, log: Logger, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  const changed: string[] = [];
  const failed: string[] = [];
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const targets: [string, string][] = [
    [dataDir, 'data folder'],
    [dbPath, 'accounts.db'],
    [`${dbPath}-wal`, 'accounts.db-wal'],
    [`${dbPath}-shm`, 'accounts.db-shm'],
  ];
  for (const [path, label] of targets) {
    let stat: Stats;
    try {
      stat = statSync(path);
    } catch {
      continue; // no -wal or -shm yet
    }
    const mode = stat.mode & 0o777;
    if ((mode & 0o077) === 0) continue;
    // A shared folder (sticky, like /tmp, or another user's) given as --data-dir is never
    // closed to everyone else: only our own files in it are tightened.
    if (path === dataDir && ((stat.mode & 0o1000) !== 0 || (uid !== null && stat.uid !== uid))) {
      failed.push(`${label} ${octal(mode)} (a shared folder: left as it is)`);
      continue;
    }
    const tight = mode & 0o700;
    try {
      chmodSync(path, tight);
      changed.push(`${label} ${octal(mode)} -> ${octal(tight)}`);
    } catch (e) {
      failed.push(`${label} ${octal(mode)} (${(e as { code?: string }).code ?? 'error'})`);
    }
  }
  if (changed.length === 0 && failed.length === 0) return;
  const parts = [
    ...(changed.length > 0 ? [`tightened permissions readable by other users: ${changed.join(', ')}`] : []),
    ...(failed.length > 0 ? [`could not tighten: ${failed.join(', ')}`] : []),
  ];
  log.warn(`${parts.join('; ')} (in ${dataDir})`);
}
