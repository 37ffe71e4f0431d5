import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  checkpointer = new WalCheckpointer({
    path: join(dir, DB_FILE), log: silentLogger, scheduler: timerScheduler, thresholdFrames: 1 << 30, idlePolls: 1, pollMs: 60_000,
  });
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

/**
 * A /proc/locks line without its leading ordinal ("12: POSIX ADVISORY READ ..."): the
 * ordinal is the line's position in the kernel's list, which shifts whenever any other
 * process takes or drops a lock, so comparing whole lines fails in a busy full run.
 */
function withoutOrdinal(line: string): string {
  return line.replace(/^\d+:\s*(->\s*)?/, '');
}

describe('/proc/locks lines', () => {
  it('compare without the ordinal, which another process can shift', () => {
    const a = '3: POSIX  ADVISORY  READ 4242 00:2d:1234 128 128';
    const b = '7: POSIX  ADVISORY  READ 4242 00:2d:1234 128 128';
    expect(withoutOrdinal(a)).toBe(withoutOrdinal(b));
    expect(withoutOrdinal(a)).toBe('POSIX  ADVISORY  READ 4242 00:2d:1234 128 128');
    expect(withoutOrdinal('7: POSIX  ADVISORY  WRITE 4242 00:2d:1234 128 128')).not.toBe(withoutOrdinal(a));
  });
});

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

  it('polls without checkpointing below the threshold, and checkpoints once past it', async () => {
    await checkpointer.close();
    checkpointer = new WalCheckpointer({ path: join(dir, DB_FILE), log: silentLogger, scheduler: timerScheduler, thresholdFrames: 500, pollMs: 60_000 });
    expect(checkpointer.start()).toBe(true);
    db.pragma('wal_autocheckpoint = 0');
    writeSome(5);
    const below = await checkpointer.tickNow();
    expect(below!.log).toBeGreaterThan(0);
    expect(below!.log).toBeLessThan(500);
    expect(below!.checkpointed).toBe(0); // looked, copied nothing
    writeSome(400);
    const past = await checkpointer.tickNow();
    expect(past!.log).toBeGreaterThanOrEqual(500);
    expect(past!.checkpointed).toBe(past!.log);
  });

  it('gives the disk space back: a WAL that stopped growing is truncated to zero bytes on the next poll', async () => {
    expect(checkpointer.start()).toBe(true);
    db.pragma('wal_autocheckpoint = 0');
    writeSome(300);
    const wal = join(dir, `${DB_FILE}-wal`);
    expect(statSync(wal).size).toBeGreaterThan(1 << 20);
    const growing = await checkpointer.tickNow(); // first look: the WAL may still be growing
    expect(growing!.log).toBeGreaterThan(0);
    expect(statSync(wal).size).toBeGreaterThan(1 << 20);
    const idle = await checkpointer.tickNow(); // unchanged for one poll (idlePolls 1 here): TRUNCATE
    expect(idle!.log).toBe(0);
    expect(statSync(wal).size).toBe(0);
    writeSome(5); // and the app writes on as before
    expect(db.prepare('SELECT count(*) FROM audit_events').pluck().get()).toBe(305);
  });

  it('past the hard limit it truncates even while the WAL is still growing', async () => {
    await checkpointer.close();
    checkpointer = new WalCheckpointer({
      path: join(dir, DB_FILE), log: silentLogger, scheduler: timerScheduler, thresholdFrames: 1 << 30, hardFrames: 200, pollMs: 60_000,
    });
    expect(checkpointer.start()).toBe(true);
    db.pragma('wal_autocheckpoint = 0');
    writeSome(20);
    expect((await checkpointer.tickNow())!.log).toBeGreaterThan(0); // below the hard limit: left alone
    writeSome(300);
    expect((await checkpointer.tickNow())!.log).toBe(0);
    expect(statSync(join(dir, `${DB_FILE}-wal`)).size).toBe(0);
  });

  // The regression behind a SIGBUS in CI: the poll used to open and close the -shm file
  // to read its header. Closing any descriptor of a file drops every POSIX lock the
  // process holds on it, so the main connection lost its shared lock on the wal-index;
  // the manage CLI, opening the database next, found no lock, took itself for the only
  // user, truncated the wal-index under this process's mapping, and the process died.
  it("polling leaves the main connection's shared lock on the wal-index in place", async () => {
    expect(checkpointer.start()).toBe(true);
    writeSome(5);
    const shmLocks = (): string[] => {
      const inode = statSync(join(dir, `${DB_FILE}-shm`)).ino;
      return readFileSync('/proc/locks', 'utf8')
        .split('\n')
        .filter((line) => line.includes(`:${inode} `) && line.split(/\s+/).includes(String(process.pid)))
        .map(withoutOrdinal);
    };
    const before = shmLocks();
    expect(before.some((line) => /\bREAD\b/.test(line))).toBe(true);
    for (let i = 0; i < 5; i++) expect(await checkpointer.tickNow()).not.toBeNull();
    expect(shmLocks()).toEqual(before);
  });
});
