import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../electron/core/index';
import { DB_FILE } from '../../electron/core/db/database';
import { FakeTime } from '../../test/support/fake-time';
import { type BenchConfig, coreOptions, expectOk } from '../fixtures';
import { type Figure, median, nowMs } from '../measure';

/**
 * startup_10k_100k: createCore on the data folder the previous run left (its users
 * and its session rows: core.close() leaves them, like a crash or a kill would),
 * until the first dispatch (app:info) answers. Start-up ends those leftovers
 * (reason 'restart'), so the rows are saved first and written back, unchanged,
 * before each later run: every run faces the same `sessions` rows.
 */
const COLUMNS =
  'hash, user_id, sender_id, backend, created_at, last_activity_at, absolute_expires_at, due_at, locked, auth_at, data';

export async function startupFigure(dataDir: string, cfg: BenchConfig): Promise<Figure> {
  const path = join(dataDir, DB_FILE);
  const saved = withDb(path, (db) => db.prepare(`SELECT ${COLUMNS} FROM sessions`).raw().all() as unknown[][]);
  if (saved.length !== cfg.sessions) {
    throw new Error(`startup: expected ${cfg.sessions} leftover session rows, found ${saved.length}`);
  }
  const times: number[] = [];
  for (let r = 0; r < cfg.startupRuns; r++) {
    if (r > 0) restoreRows(path, saved);
    const time = new FakeTime();
    const t0 = nowMs();
    const core = await createCore(coreOptions(dataDir, time, cfg));
    expectOk(await core.dispatch(1, 'app:info', {}), 'app:info after start-up');
    times.push(nowMs() - t0);
    await core.close();
    const left = withDb(path, (db) => db.prepare('SELECT count(*) FROM sessions').pluck().get() as number);
    if (left !== 0) throw new Error(`startup: ${left} leftover sessions survived start-up`);
  }
  return {
    name: 'startup_10k_100k',
    value: median(times),
    unit: 'ms',
    details: `${cfg.users} users, ${saved.length} leftover sessions, runs ${times.map((x) => x.toFixed(1)).join(' ')} ms`,
    target: { op: '<', value: 300, unit: 'ms' },
  };
}

function withDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function restoreRows(path: string, rows: unknown[][]): void {
  withDb(path, (db) => {
    const insert = db.prepare(`INSERT INTO sessions (${COLUMNS}) VALUES (${COLUMNS.split(',').map(() => '?').join(', ')})`);
    db.transaction(() => {
      for (const row of rows) insert.run(...row);
    })();
    // Leave the file as a closed core leaves it: everything checkpointed into the main file.
    db.pragma('wal_checkpoint(TRUNCATE)');
  });
}
