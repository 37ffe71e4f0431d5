import type { Clock, Scheduler } from '../../../electron/core/clock';

interface Task {
  id: number;
  at: number;
  every?: number;
  fn: () => void;
}

/**
 * The preview's clock in end-to-end tests: real time plus an offset the test moves,
 * so the browser (whose own clock Playwright fast-forwards by the same amount) and
 * the core agree on "now". Scheduled tasks (the sweeper) run only inside advance(),
 * in time order, never on their own: a test decides when time passes, and nothing
 * depends on how fast the machine is.
 */
export class ShiftedTime implements Clock, Scheduler {
  private offset = 0;
  private nextId = 1;
  private readonly tasks = new Map<number, Task>();

  now(): number {
    return Date.now() + this.offset;
  }

  every(ms: number, fn: () => void): () => void {
    return this.add({ id: this.nextId++, at: this.now() + ms, every: ms, fn });
  }

  after(ms: number, fn: () => void): () => void {
    return this.add({ id: this.nextId++, at: this.now() + ms, fn });
  }

  /** Moves time forward by ms, then runs every task that is due, repeating ones once per period. */
  advance(ms: number): void {
    this.offset += ms;
    const end = this.now();
    for (;;) {
      const due = [...this.tasks.values()].filter((k) => k.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      if (due.every) due.at += due.every;
      else this.tasks.delete(due.id);
      due.fn();
    }
  }

  private add(task: Task): () => void {
    this.tasks.set(task.id, task);
    return () => {
      this.tasks.delete(task.id);
    };
  }
}
