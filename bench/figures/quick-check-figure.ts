import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../electron/core/db/database';
import { requireQuickCheck } from '../../electron/core/db/database-guards';
import type { BenchConfig } from '../fixtures';
import { type Figure, median, nowMs } from '../measure';

/**
 * startup_quick_check: what the damage check at open (PRAGMA quick_check, database-guards.ts)
 * costs on the bench's file: 10,000 users and 100,000 session rows, checkpointed as a
 * closed core leaves it. It reads every page, so it grows with the file: the figure is the
 * price of refusing a damaged database before the first write. Part of startup_10k_100k.
 * A fresh connection per run, as at start-up (its page cache starts empty; the OS cache
 * is warm, as for an app restarted on the same machine).
 */
export function quickCheckFigure(dataDir: string, cfg: BenchConfig): Figure {
  const path = join(dataDir, DB_FILE);
  const times: number[] = [];
  for (let r = 0; r < Math.max(3, cfg.startupRuns); r++) {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const t0 = nowMs();
      requireQuickCheck(db, path);
      times.push(nowMs() - t0);
    } finally {
      db.close();
    }
  }
  const mb = statSync(path).size / 2 ** 20;
  return {
    name: 'startup_quick_check',
    value: median(times),
    unit: 'ms',
    details: `PRAGMA quick_check on ${mb.toFixed(1)} MB (${cfg.users} users, ${cfg.sessions} sessions), runs ${times.map((x) => x.toFixed(1)).join(' ')} ms`,
    target: { op: '<', value: 150, unit: 'ms' },
  };
}
