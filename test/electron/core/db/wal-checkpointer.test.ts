import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timerScheduler } from '../../../../electron/core/clock';
import { DB_FILE, openDatabase, type Sqlite } from '../../../../electron/core/db/database';
import { WalCheckpointer } from '../../../../electron/core/db/wal-checkpointer';
import { silentLogger } from '../../../../electron/core/log';

let dir: string;
let db: Sqlite;
let checkpointer: WalCheckpointer;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'accounts-ckpt-'));
  db = openDatabase(dir);
  // A threshold no test reaches and a slow poll: only checkpointNow() checkpoints here.
  checkpointer = new WalCheckpointer({ path: join(dir, DB_FILE), log: silentLogger, scheduler: timerScheduler, thresholdFrames: 1 << 30, pollMs: 60_000 });
});

afterEach(async () => {
  await checkpointer.close();
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeSome(rows: number): void {
  const insert = db.prepare("INSERT INTO audit_events (at, type, detail) VALUES (?, 'setup', ?)");
  for (let i = 0; i < rows; i++) insert.run(i, 'x'.repeat(2000));
}

describe('WalCheckpointer', () => {
  it('checkpoints from its own thread what the main connection wrote with automatic checkpoints off', async () => {
    expect(checkpointer.start()).toBe(true);
    db.pragma('wal_autocheckpoint = 0');
    writeSome(200);
    const result = await checkpointer.checkpointNow();
    expect(result).not.toBeNull();
    expect(result!.log).toBeGreaterThan(100);
    expect(result!.checkpointed).toBe(result!.log);
    // The main connection now starts the WAL over instead of growing it.
    const walBefore = statSync(join(dir, `${DB_FILE}-wal`)).size;
    writeSome(50);
    expect(statSync(join(dir, `${DB_FILE}-wal`)).size).toBeLessThanOrEqual(walBefore);
  });

  it('close() ends the worker, so the last connection to close removes the WAL', async () => {
    expect(checkpointer.start()).toBe(true);
    writeSome(10);
    await checkpointer.close();
    expect(checkpointer.running).toBe(false);
    db.close();
    expect(existsSync(join(dir, `${DB_FILE}-wal`))).toBe(false);
    expect(await checkpointer.checkpointNow()).toBeNull();
  });
});
