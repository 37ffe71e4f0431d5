/**
 * Crash safety (reliability issue, item 2). A child process runs the real core
 * (sqlite sessions, bcrypt cost 4, in-memory keychain) creating users with groups,
 * logging them in and out, resetting and changing passwords, deactivating them; the
 * parent kills it with SIGKILL at a random moment, 25 times on one data folder. After
 * every kill, before any core opens the folder again:
 * - accounts.db opens, integrity_check is ok, foreign keys hold;
 * - every write the child reported committed is there; the one in flight is all there
 *   or not at all (no user without its groups, no password change without its sessions
 *   and remembered devices revoked, no session left by a logout or a rotation);
 * - openDatabase accepts the file as it is.
 * The kill delays come from a seeded PRNG; the kills themselves are real time (that is
 * the point: the child is at an arbitrary place when SIGKILL lands).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../electron/core/auth/password-hasher';
import { DB_FILE, openDatabase } from '../../electron/core/db/database';
import { createCore } from '../../electron/core/index';
import { MemoryKeychain } from '../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../electron/core/log';
import { runScript } from './child-process';
import { ADMIN_PASSWORD, CrashModel, mulberry32, parseLines, type RoundOutcome } from './crash-model';

const ROUNDS = 25;
const SEED = 0x5eed_c0de;
const WORKER = 'test/reliability/crash-worker.ts';

/**
 * Completed operations a round waits for before its kill timer starts (rounds killed
 * from spawn excepted). Counting operations instead of milliseconds keeps "really did
 * work between kills" true on a loaded machine, where 300 ms may hold only a few calls.
 */
const DONE_BEFORE_KILL = 15;

const doneLines = (stdout: string): number => stdout.split('"phase":"done"').length - 1;

/**
 * Runs one worker and SIGKILLs it `delayMs` after its DONE_BEFORE_KILL-th completed
 * operation (or at `delayMs` after start).
 */
async function runAndKill(dataDir: string, round: number, delayMs: number, fromStart: boolean): Promise<string> {
  const run = runScript(WORKER, [dataDir, String(round), String(SEED + round)]);
  const kill = () => run.child.kill('SIGKILL');
  let timer: NodeJS.Timeout | undefined;
  const arm = () => (timer ??= setTimeout(kill, delayMs));
  if (fromStart) arm();
  else run.child.stdout?.on('data', () => doneLines(run.stdout()) >= DONE_BEFORE_KILL && arm());
  // A worker that never gets ready is a failure, reported below with its stderr.
  const guard = setTimeout(kill, 30_000);
  const result = await run.finished;
  clearTimeout(guard);
  if (timer) clearTimeout(timer);
  if (result.signal !== 'SIGKILL') {
    throw new Error(`round ${round}: the worker ended by itself (code ${result.code}):\n${result.stderr}`);
  }
  if (!fromStart && !result.stdout.includes('"ready"')) throw new Error(`round ${round}: never ready:\n${result.stderr}`);
  return result.stdout;
}

describe('crash safety: SIGKILL at random moments', () => {
  let dataDir: string;
  const outcomes: RoundOutcome[] = [];
  const model = new CrashModel(new PasswordHasher({ cost: 4 }));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crash-safety-'));
    const random = mulberry32(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      // Every 6th round (not the first: it sets up) is killed counting from spawn, so
      // some kills land in start-up itself (migrations, ending leftover sessions).
      const fromStart = round % 6 === 5;
      const delay = fromStart ? 400 + Math.floor(random() * 700) : 30 + Math.floor(random() * 271);
      const stdout = await runAndKill(dataDir, round, delay, fromStart);

      // Straight from the file, before anything of ours opens it (a core would end the sessions).
      const db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
      try {
        outcomes.push(await model.check(db, parseLines(stdout)));
      } finally {
        db.close();
      }
      const reopened = openDatabase(dataDir);
      try {
        expect(reopened.pragma('quick_check', { simple: true }), `round ${round}: openDatabase after the kill`).toBe('ok');
      } finally {
        reopened.close();
      }
    }
  }, 100_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds no violation in any round: integrity, reported writes, no half-made user or password change', () => {
    expect(outcomes).toHaveLength(ROUNDS);
    const violations = outcomes.flatMap((o, round) => o.violations.map((v) => `round ${round}: ${v}`));
    expect(violations).toEqual([]);
  });

  it('really did work between kills, and most kills landed inside an operation', () => {
    const done = outcomes.reduce((n, o) => n + o.done, 0);
    const interrupted = outcomes.filter((o) => o.inFlight !== null);
    expect(done).toBeGreaterThan(ROUNDS * 10);
    expect(interrupted.length).toBeGreaterThan(ROUNDS / 2);
    // The ledger holds every user some round created, each one verified against the file.
    expect(model.users.size).toBeGreaterThan(ROUNDS);
  });

  it('the checks are not blind: a copy of the file with half-made writes planted in it fails them', async () => {
    const copyDir = mkdtempSync(join(tmpdir(), 'crash-safety-copy-'));
    try {
      copyFileSync(join(dataDir, DB_FILE), join(copyDir, DB_FILE)); // checkpointed: openDatabase closed it last
      const db = new Database(join(copyDir, DB_FILE));
      try {
        const [withGroups] = db.prepare('SELECT u.id, u.username FROM users u JOIN user_groups g ON g.user_id = u.id LIMIT 1').all() as { id: number; username: string }[];
        const [active] = db.prepare("SELECT id, username, password_changed_at FROM users WHERE is_active = 1 AND username <> 'admin' LIMIT 1").all() as { id: number; username: string; password_changed_at: number }[];
        if (!withGroups || !active) throw new Error('the rounds left no users to tamper with');
        db.prepare('DELETE FROM user_groups WHERE user_id = ?').run(withGroups.id);
        db.prepare(
          `INSERT INTO sessions (hash, user_id, sender_id, backend, created_at, last_activity_at, absolute_expires_at, due_at)
           VALUES (unhex('${'ab'.repeat(32)}'), ?, 9, 'local-db', ?, ?, ?, ?)`,
        ).run(active.id, active.password_changed_at - 1, active.password_changed_at - 1, 9e15, 9e15);
        db.prepare("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'admin') WHERE id = ?").run(active.id);
        db.prepare("INSERT INTO users (username, username_key, password_hash, created_at, password_changed_at) VALUES ('intruder', 'intruder', 'x', 0, 0)").run();
        const { violations } = await model.check(db, []);
        expect(violations).toEqual(expect.arrayContaining([
          expect.stringMatching(new RegExp(`user ${withGroups.username} has groups \\[\\]`)),
          expect.stringMatching(new RegExp(`session abababababababab of ${active.username} predates its password change`)),
          `user ${active.username}: the stored hash matches neither the reported nor the in-flight password`,
          'user intruder exists but was never created by the worker',
        ]));
      } finally {
        db.close();
      }
    } finally {
      rmSync(copyDir, { recursive: true, force: true });
    }
  });

  it('afterwards a real core starts on the folder and every known user signs in with the password on record', async () => {
    const core = await createCore({ dataDir, keychain: new MemoryKeychain(), logger: silentLogger, settings: { bcryptCost: 4 } });
    try {
      const admin = await core.dispatch(1, 'auth:login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(admin.ok).toBe(true);
      let sender = 10;
      for (const [username, known] of [...model.users].slice(-12)) {
        const r = await core.dispatch(sender++, 'auth:login', { username, password: known.password });
        if (known.active) expect(r.ok, `${username} signs in`).toBe(true);
        else expect(r.ok ? 'ok' : r.error.code).toBe('ACCOUNT_DISABLED');
      }
    } finally {
      await core.close();
    }
  });
});
