import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Scheduler } from '../clock';
import type { Logger } from '../log';
import { JOURNAL_SIZE_LIMIT_BYTES } from './database';

/**
 * Runs in the worker: its own connection, a PASSIVE checkpoint whenever the WAL has
 * grown past the threshold, and a TRUNCATE checkpoint once the WAL has stopped growing
 * (idle) or has grown past the hard limit. PASSIVE never waits for readers or writers,
 * so the main connection is never blocked by it. TRUNCATE (busy_timeout 0 here: it
 * gives up at once when a writer is active, and is tried again on the next poll) copies
 * what is left and cuts the file to zero bytes. Plain CommonJS so it needs no build
 * step: the only module it loads is the SQLite driver, by the path the main thread resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = NORMAL');
db.pragma('journal_size_limit = ' + workerData.journalSizeLimit);
// Frames in the WAL, asked of SQLite itself: NOOP reads the wal-index through SQLite's
// own mapping and copies nothing (SQLite >= 3.51; the driver is pinned). Never open the
// -shm file directly: closing any descriptor of it drops every POSIX lock this process
// holds on it, the main connection's included; a second process (the manage CLI) then
// believes it is alone, truncates the wal-index under our mapping, and this process
// dies of SIGBUS.
const probe = db.prepare('PRAGMA wal_checkpoint(NOOP)');
const truncate = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)');
let checkpointedUpTo = 0;
let lastSeen = -1;
let quietPolls = 0;
const tick = () => {
  const frames = probe.get().log;
  quietPolls = frames === lastSeen ? quietPolls + 1 : 0;
  lastSeen = frames;
  if (frames === 0) return;
  if (quietPolls >= workerData.idlePolls || frames >= workerData.hardFrames) {
    // Nothing was written for idlePolls polls (or the WAL is past the hard limit): give
    // the disk space back. Busy (a writer or an old reader) answers busy = 1: next poll.
    const r = truncate.get();
    if (r.busy === 0) { lastSeen = 0; quietPolls = 0; checkpointedUpTo = 0; return; }
  }
  if (frames < workerData.thresholdFrames || frames === checkpointedUpTo) return;
  db.pragma('wal_checkpoint(PASSIVE)');
  checkpointedUpTo = frames;
};
const safeTick = () => {
  try { tick(); } catch (e) { parentPort.postMessage({ failed: String(e && e.code), background: true }); }
};
const timer = setInterval(safeTick, workerData.pollMs);
parentPort.on('message', (m) => {
  if (m === 'tick') {
    try { tick(); parentPort.postMessage({ result: probe.get() }); }
    catch (e) { parentPort.postMessage({ failed: String(e && e.code) }); }
    return;
  }
  if (m === 'checkpoint') {
    try { parentPort.postMessage({ result: db.pragma('wal_checkpoint(PASSIVE)')[0] }); }
    catch (e) { parentPort.postMessage({ failed: String(e && e.code) }); }
    return;
  }
  if (m !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** The worker checkpoints (PASSIVE) once the WAL holds this many frames: SQLite's own default. */
export const CHECKPOINT_THRESHOLD_FRAMES = 1000;

/**
 * The main connection's own automatic checkpoint (wal_autocheckpoint) while the worker
 * runs: the in-thread fallback for when the worker is behind. During a burst of writes
 * the worker's PASSIVE checkpoints race the writer and never catch up with the end of
 * the WAL, so SQLite never starts the WAL over and the file grows without bound (issue
 * 12: 98 MiB after 20,000 session:data:set). A checkpoint run by the writer itself, at
 * commit time, has no writer to race: it completes, and the next write starts the WAL
 * over. At 2,000 frames (about 8 MiB of 4 KiB pages) it only runs when the worker has
 * fallen behind, so ordinary use keeps its commits free of checkpoint pauses.
 */
export const FALLBACK_AUTOCHECKPOINT_FRAMES = 2000;

/*
 * What the bound cannot cover: one transaction larger than these limits (a sweep that
 * ends thousands of sessions at once) makes the WAL that large for a moment; the next
 * complete checkpoint starts it over and journal_size_limit cuts the file back.
 *
 * Write amplification of session data: every session:data:set rewrites the session's
 * whole JSON (at most 64 KiB, MAX_SESSION_DATA_BYTES: about 17 pages per write). Rows
 * per key would write only the changed key, but they need a new table, a migration and
 * a different SessionStore port (get/update carry the data as one string), for a cost
 * that is now bounded: the WAL no longer grows with it, and the bytes written per call
 * are capped by the size limit. Left as it is here; the session store port is being
 * redesigned separately, which is where per-key storage belongs.
 */

/** Past this many frames the worker tries a TRUNCATE checkpoint even while writes go on. */
export const HARD_LIMIT_FRAMES = 3000;

export interface WalCheckpointerOptions {
  /** Path of accounts.db. */
  path: string;
  log: Logger;
  /** Bounds how long close() waits for the worker (real timers in the app). */
  scheduler: Scheduler;
  /** Checkpoint once the WAL holds this many frames (default CHECKPOINT_THRESHOLD_FRAMES). */
  thresholdFrames?: number;
  /** Try a TRUNCATE checkpoint past this many frames (default HARD_LIMIT_FRAMES). */
  hardFrames?: number;
  /** Polls without a write before the WAL counts as idle and is truncated (default 4: a second). */
  idlePolls?: number;
  /** How often the worker looks at the WAL's frame count (real time: this is I/O upkeep, not domain time). */
  pollMs?: number;
}

/**
 * Moves WAL checkpoints off the main thread. With SQLite's automatic checkpoint, the
 * commit that crosses 1,000 pages copies the whole WAL into the database file while
 * every window waits (about 100 ms after a sweep of 10,000 sessions). Here the main
 * connection runs with wal_autocheckpoint = 0 and a worker thread with its own
 * connection checkpoints in the background. If the worker cannot start, the caller
 * keeps SQLite's automatic checkpoint.
 */
/** SQLite's answer to wal_checkpoint: frames in the WAL and frames copied back. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export class WalCheckpointer {
  private worker: Worker | null = null;
  private readonly waiters: ((r: CheckpointResult | null) => void)[] = [];

  constructor(private readonly o: WalCheckpointerOptions) {}

  /** True when the worker runs (the caller may then turn automatic checkpoints off). */
  start(): boolean {
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          driver,
          path: this.o.path,
          thresholdFrames: this.o.thresholdFrames ?? CHECKPOINT_THRESHOLD_FRAMES,
          hardFrames: this.o.hardFrames ?? HARD_LIMIT_FRAMES,
          idlePolls: this.o.idlePolls ?? 4,
          journalSizeLimit: JOURNAL_SIZE_LIMIT_BYTES,
          pollMs: this.o.pollMs ?? 250,
        },
      });
      worker.unref();
      worker.on('message', (m: { failed?: string; background?: boolean; result?: CheckpointResult }) => {
        if (m.failed) this.o.log.warn('background checkpoint failed', { code: m.failed });
        if (m.background) return; // the timer's own tick: nobody waits for it
        const waiter = this.waiters.shift();
        waiter?.(m.result ?? null);
      });
      worker.on('error', (e) => {
        this.o.log.warn('background checkpointer stopped', { error: e.name });
        this.worker = null;
      });
      this.worker = worker;
      return true;
    } catch (e) {
      this.o.log.warn('background checkpointer unavailable', { error: (e as Error).name });
      return false;
    }
  }

  get running(): boolean {
    return this.worker !== null;
  }

  /** A checkpoint now, in the worker (for tests and for an explicit flush); null if it failed. */
  checkpointNow(): Promise<CheckpointResult | null> {
    return this.ask('checkpoint');
  }

  /** One poll of the timer's, now (tests): checkpoints if past the threshold; the WAL state after. */
  tickNow(): Promise<CheckpointResult | null> {
    return this.ask('tick');
  }

  private ask(message: 'checkpoint' | 'tick'): Promise<CheckpointResult | null> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      worker.postMessage(message);
    });
  }

  /** Stops the worker and closes its connection (before the main one closes). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    // Referenced again so the process waits for the worker to close its connection.
    worker.ref();
    worker.postMessage('close');
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      worker.once('exit', done);
      // A worker that does not exit promptly is terminated; its connection dies with it.
      const cancel = this.o.scheduler.after(1000, () => void worker.terminate().then(done, done));
      worker.once('exit', cancel);
    });
  }
}
