/**
 * Time seams. Domain code never calls Date.now() or setInterval itself: it is given
 * a Clock and a Scheduler, so tests drive time with a fake and never sleep.
 */
export interface Clock {
  /** Milliseconds since the epoch (UTC). */
  now(): number;
}

/** Every scheduling call returns its own cancel function (a disposer). */
export interface Scheduler {
  every(ms: number, fn: () => void): () => void;
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Real timers, unref'd so a forgotten timer never keeps a CLI process alive. */
export const timerScheduler: Scheduler = {
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref?.();
    return () => clearInterval(t);
  },
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};
