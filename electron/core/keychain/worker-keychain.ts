import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { timerScheduler, type Scheduler } from '../clock';
import { KeychainUnavailableError, type Keychain } from './keychain';

export type KeychainOp =
  | { op: 'get'; service: string; account: string }
  | { op: 'set'; service: string; account: string; secret: string }
  | { op: 'delete'; service: string; account: string }
  | { op: 'find'; service: string };

/** One call to the thread. `id` pairs it with its response. */
export type KeychainRequest = { id: number } & KeychainOp;

export type KeychainResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; reason: string };

export interface WorkerKeychainData {
  busCheckTimeoutMs: number;
}

export interface WorkerKeychainOptions {
  /** How long one call may take; then it rejects and the thread is terminated (replaced on a later call). */
  timeoutMs: number;
  /** Default: real timers (unref'd). */
  scheduler?: Scheduler;
  /**
   * The thread's script. Default: worker-keychain-thread.js beside this module's URL when it
   * exists (a bundled build: emit worker-keychain-thread.ts as an entry of its own, named
   * so, next to the bundle that holds this module; @napi-rs/keyring stays external and
   * outside the asar), else worker-keychain-thread.ts run through tsx's loader (dev, tests).
   * Without either, every call answers KeychainUnavailableError(HELPER_FAILED).
   */
  script?: URL;
  /** How long the thread waits for the session bus's first handshake answer; default min(1000, timeoutMs). */
  busCheckTimeoutMs?: number;
}

export const HELPER_FAILED = 'The keychain helper stopped unexpectedly.';
export const STILL_BLOCKED = 'The keychain is still not answering an earlier call.';
export const KEYCHAIN_CLOSED = 'The keychain has been closed.';

interface Pending {
  worker: Worker;
  resolve(value: unknown): void;
  reject(err: KeychainUnavailableError): void;
  cancel(): void;
}

/**
 * The OS keychain (OsKeychain) run in a worker thread. @napi-rs/keyring builds an entry
 * by connecting to D-Bus synchronously: against a bus that never answers it froze the
 * whole process, and no promise timeout can interrupt a blocked thread. Here only the
 * worker blocks; the main thread gets its answer or, after timeoutMs, a
 * KeychainUnavailableError, and the app carries on with password sign-in.
 *
 * A call that times out terminates its thread (every call still waiting on it fails with
 * the same reason); the next call starts a fresh one. A thread blocked inside native code
 * only ends when that code returns, so while a terminated thread has not ended, calls
 * fail at once instead of starting more threads: at most one stuck thread, ever. The
 * thread's own bus handshake check keeps the unbounded libdbus wait out of reach; a bus
 * that stalls half-way through could still hold a thread, and Node waits for every thread
 * at process exit (a documented limit). Never falls back to another store: the thread's
 * OsKeychain pins the Secret Service.
 *
 * The worker is unref'd while idle, so it never keeps a process alive.
 */
export class WorkerKeychain implements Keychain {
  private readonly timeoutMs: number;
  private readonly scheduler: Scheduler;
  private readonly script: URL;
  private readonly busCheckTimeoutMs: number;
  private worker: Worker | null = null;
  /** Terminated after a timeout, its thread not yet ended. */
  private stuck: Worker | null = null;
  private stuckEnded: Promise<void> = Promise.resolve();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(options: WorkerKeychainOptions) {
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
      throw new RangeError('timeoutMs must be a positive number');
    }
    this.timeoutMs = options.timeoutMs;
    this.scheduler = options.scheduler ?? timerScheduler;
    this.script = options.script ?? defaultScript();
    this.busCheckTimeoutMs = options.busCheckTimeoutMs ?? Math.min(1000, options.timeoutMs);
  }

  /** For diagnostics and tests: is a thread running, is one stuck after a timeout. */
  get threads(): { running: boolean; stuck: boolean } {
    return { running: this.worker !== null, stuck: this.stuck !== null };
  }

  /** Settles once no thread is stuck (immediately when none is). */
  whenUnstuck(): Promise<void> {
    return this.stuckEnded;
  }

  getPassword(service: string, account: string): Promise<string | null> {
    return this.call({ op: 'get', service, account }) as Promise<string | null>;
  }

  async setPassword(service: string, account: string, secret: string): Promise<void> {
    await this.call({ op: 'set', service, account, secret });
  }

  deletePassword(service: string, account: string): Promise<boolean> {
    return this.call({ op: 'delete', service, account }) as Promise<boolean>;
  }

  findCredentials(service: string): Promise<{ account: string; password: string }[]> {
    return this.call({ op: 'find', service }) as Promise<{ account: string; password: string }[]>;
  }

  /** Fails every waiting call and stops the thread; later calls fail with KEYCHAIN_CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    this.retire(worker, KEYCHAIN_CLOSED);
    await worker.terminate().catch(() => 0);
  }

  private call(op: KeychainOp): Promise<unknown> {
    if (this.closed) return Promise.reject(new KeychainUnavailableError(KEYCHAIN_CLOSED));
    if (this.stuck) return Promise.reject(new KeychainUnavailableError(STILL_BLOCKED));
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (err) {
      return Promise.reject(new KeychainUnavailableError(HELPER_FAILED, { cause: err }));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const cancel = this.scheduler.after(this.timeoutMs, () => this.timedOut(id));
      this.pending.set(id, { worker, resolve, reject, cancel });
      worker.ref();
      const request: KeychainRequest = { id, ...op };
      worker.postMessage(request);
    });
  }

  private start(): Worker {
    const data: WorkerKeychainData = { busCheckTimeoutMs: this.busCheckTimeoutMs };
    const worker = new Worker(this.script, { workerData: data, execArgv: loaderArgsFor(this.script) });
    worker.unref();
    worker.on('message', (response: KeychainResponse) => this.answered(worker, response));
    // An uncaught error in the thread (e.g. the native binary failed to load) ends it; 'exit' follows.
    worker.on('error', () => this.retire(worker, HELPER_FAILED));
    worker.on('exit', () => {
      if (this.stuck === worker) this.stuck = null;
      this.retire(worker, HELPER_FAILED);
    });
    this.worker = worker;
    return worker;
  }

  private answered(worker: Worker, response: KeychainResponse): void {
    const p = this.pending.get(response.id);
    if (!p || p.worker !== worker) return;
    this.pending.delete(response.id);
    p.cancel();
    if (response.ok) p.resolve(response.value);
    else p.reject(new KeychainUnavailableError(response.reason));
    this.updateRef(worker);
  }

  private timedOut(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    const seconds = Math.round(this.timeoutMs / 100) / 10;
    const { worker } = p;
    this.retire(worker, `The keychain did not answer within ${seconds} s.`);
    this.stuck = worker;
    this.stuckEnded = new Promise((resolve) => worker.once('exit', () => resolve()));
    // Never awaited: it settles only when the thread returns from native code.
    worker.terminate().catch(() => 0);
  }

  /** Drops the worker: every call still waiting on it fails with `reason`. */
  private retire(worker: Worker, reason: string): void {
    if (this.worker === worker) this.worker = null;
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.pending.delete(id);
      p.cancel();
      p.reject(new KeychainUnavailableError(reason));
    }
    worker.unref();
  }

  private updateRef(worker: Worker): void {
    for (const p of this.pending.values()) if (p.worker === worker) return;
    worker.unref();
  }
}

function defaultScript(): URL {
  const built = new URL('./worker-keychain-thread.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? built : new URL('./worker-keychain-thread.ts', import.meta.url);
}

/** A .ts script (dev, tests) needs tsx's loader in the thread; a built .js one needs nothing. */
function loaderArgsFor(script: URL): string[] {
  if (!script.pathname.endsWith('.ts')) return [];
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(tsx).href];
}
