/**
 * Per-key async serialization. Calls to run() with the same key run one after
 * another in call order (FIFO); calls with different keys run concurrently.
 *
 * Defends against: parallel login guesses on one account all passing the throttle
 * check before any of them has recorded its failure (check-then-act race across
 * the await of a bcrypt verification).
 *
 * Contracts:
 * - a rejection (or synchronous throw) of fn is returned to that caller only; the
 *   next call on the key still runs;
 * - the entry for a key is removed as soon as its queue is empty, so a stream of
 *   distinct keys (e.g. guessed usernames) does not grow the map without bound.
 * - in-process only: it does not serialize other processes on the same database.
 */
export class KeyedMutex {
  /** key -> promise that settles when the last queued call on the key has finished. */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    // `prev` only ever resolves (it is a chain of `done` promises), never rejects.
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = prev.then(() => done);
    this.tails.set(key, tail);
    return prev.then(async () => {
      try {
        return await fn();
      } finally {
        // Nobody queued behind us: drop the entry (no leak). If someone did, the
        // entry is their tail and they remove it when they finish.
        if (this.tails.get(key) === tail) this.tails.delete(key);
        release();
      }
    });
  }

  /** How many keys currently have a running or queued call (for tests and diagnostics). */
  get activeKeys(): number {
    return this.tails.size;
  }
}
