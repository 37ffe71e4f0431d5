import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE, describeSqliteError } from '../../core/db/database';
import { integrityProblems } from '../../core/db/database-guards';
import { CliError, EXIT } from '../cli-errors';
import type { CliIo } from '../cli-context';
import { requireExistingDatabase } from '../data-dir';
import { plural, quote, type Command } from './command';

/** Problems printed at most; integrity_check stops counting there. */
const MAX_PROBLEMS = 20;

/**
 * `manage check`: the full PRAGMA integrity_check (every b-tree and every index against
 * its table, which the quick_check at start skips) and PRAGMA foreign_key_check, on a
 * read-only connection: a check never writes, and it works on a file the app refuses to
 * open. Also lists names that look alike (same UTS #39 skeleton), which can exist only
 * from before that check was added: the administrator decides whom to rename.
 */
export const checkCommand: Command = {
  name: 'check',
  summary: 'Check the database for damage (full integrity check, read-only).',
  synopsis: 'check [--data-dir DIR]',
  description: [
    "Runs SQLite's full integrity check and foreign key check on accounts.db without",
    'changing it, and reports the result. Exit 0: no damage found. Exit 1: the file is',
    'damaged or empty; restore accounts.db from a backup (with the app closed).',
    'Also lists accounts whose names look alike (made before such names were refused).',
  ],
  options: {},
  optionHelp: [],
  positionals: [],

  async run({ dataDir, io }) {
    requireExistingDatabase(dataDir);
    const path = join(dataDir, DB_FILE);
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (e) {
      throw new CliError(`Cannot open ${path}: ${describeSqliteError(e)}.`);
    }
    try {
      return report(db, path, io);
    } finally {
      db.close();
    }
  },
};

function report(db: Database.Database, path: string, io: CliIo): number {
  let tables: string[];
  try {
    tables = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
  } catch (e) {
    return damaged(path, [`SQLite could not read the file: ${describeSqliteError(e)}`], io);
  }
  if (tables.length === 0) {
    throw new CliError(`${path} is empty (it has no tables): it was emptied or truncated.`, [
      'Restore accounts.db from a backup. The app and manage refuse to use it as it is.',
    ]);
  }
  const problems = integrityProblems(db, MAX_PROBLEMS);
  if (problems.length === 0) problems.push(...foreignKeyProblems(db));
  if (problems.length > 0) return damaged(path, problems, io);
  io.stdout.write(`${path}: no damage found (integrity_check and foreign_key_check: ok).\n`);
  if (tables.includes('users')) reportLookAlikes(db, io);
  return EXIT.ok;
}

function foreignKeyProblems(db: Database.Database): string[] {
  const rows = db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[];
  return rows.slice(0, MAX_PROBLEMS).map((r) => `${r.table} row ${r.rowid ?? '?'} points to a missing ${r.parent} row`);
}

function damaged(path: string, problems: readonly string[], io: CliIo): number {
  io.stdout.write(
    [
      `${path} is DAMAGED (${plural(problems.length, 'problem')}${problems.length >= MAX_PROBLEMS ? ' or more' : ''}):`,
      ...problems.map((p) => `  ${p}`),
      'Quit the app and restore accounts.db from a backup; the app and manage refuse to change this file.',
      '',
    ].join('\n'),
  );
  return EXIT.failure;
}

/** Groups of existing users whose names share a skeleton (schema version 3 and later). */
function reportLookAlikes(db: Database.Database, io: CliIo): void {
  const columns = db.prepare<[], string>("SELECT name FROM pragma_table_info('users')").pluck().all();
  if (!columns.includes('username_skeleton')) return;
  const groups = new Map<string, { id: number; username: string }[]>();
  for (const column of ['username_skeleton', 'username_shown_skeleton'].filter((c) => columns.includes(c))) {
    const rows = db
      .prepare<[], { skeleton: string; id: number; username: string }>(
        `SELECT ${column} AS skeleton, id, username FROM users WHERE ${column} IN
           (SELECT ${column} FROM users GROUP BY ${column} HAVING count(*) > 1) ORDER BY id`,
      )
      .all();
    for (const r of rows) {
      const key = `${column}:${r.skeleton}`;
      groups.set(key, [...(groups.get(key) ?? []), { id: r.id, username: r.username }]);
    }
  }
  const seen = new Set<string>();
  for (const members of groups.values()) {
    const line = members.map((m) => `${quote(m.username)} (id ${m.id})`).join(', ');
    if (seen.has(line)) continue;
    seen.add(line);
    io.stdout.write(`note: these accounts have names that look alike; consider renaming all but one: ${line}\n`);
  }
}
