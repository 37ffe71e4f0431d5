import type { Clock, Scheduler } from '../../electron/core/clock';

interface Task {
  id: number;
  at: number;
  every?: number;
  fn: () => void;
}

/**
 * Virtual time for tests: a Clock and a Scheduler that only move when the test
 * says so. advance(ms) runs every due task in time order, repeating ones included.
 */
export class FakeTime implements Clock, Scheduler {
  private t: number;
  private nextId = 1;
  private tasks = new Map<number, Task>();

  constructor(start = Date.UTC(2026, 0, 1, 9, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  every(ms: number, fn: () => void): () => void {
    return this.add({ id: this.nextId++, at: this.t + ms, every: ms, fn });
  }

  after(ms: number, fn: () => void): () => void {
    return this.add({ id: this.nextId++, at: this.t + ms, fn });
  }

  /** Moves time forward, firing due tasks in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.tasks.values()].filter((k) => k.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.t = due.at;
      if (due.every) due.at += due.every;
      else this.tasks.delete(due.id);
      due.fn();
    }
    this.t = end;
  }

  /** Sets the clock without firing anything (for "the sweeper has not run yet" tests). */
  jump(ms: number): void {
    this.t += ms;
  }

  pending(): number {
    return this.tasks.size;
  }

  private add(task: Task): () => void {
    this.tasks.set(task.id, task);
    return () => {
      this.tasks.delete(task.id);
    };
  }
}
