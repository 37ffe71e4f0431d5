import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../../../electron/core/auth/keyed-mutex';

/** Lets `n` rounds of queued microtasks/promise callbacks run (no real time). */
async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

/** A promise the test settles by hand. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('KeyedMutex', () => {
  it('runs calls on the same key one after another, in call order', async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const task = (name: string) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${name}`);
      await ticks(5);
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([m.run('k', task('a')), m.run('k', task('b')), m.run('k', task('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(maxRunning).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs different keys concurrently', async () => {
    const m = new KeyedMutex();
    const gateA = deferred();
    const started: string[] = [];
    const a = m.run('a', async () => {
      started.push('a');
      await gateA.promise;
      return 'a';
    });
    const b = m.run('b', async () => {
      started.push('b');
      return 'b';
    });
    // b finishes while a is still blocked on its gate.
    await expect(b).resolves.toBe('b');
    expect(started).toEqual(['a', 'b']);
    gateA.resolve();
    await expect(a).resolves.toBe('a');
  });

  it('does not start the next call on a key before the previous one settles', async () => {
    const m = new KeyedMutex();
    const gate = deferred();
    let secondStarted = false;
    const first = m.run('k', () => gate.promise);
    const second = m.run('k', async () => {
      secondStarted = true;
    });
    await ticks(20);
    expect(secondStarted).toBe(false);
    gate.resolve();
    await first;
    await second;
    expect(secondStarted).toBe(true);
  });

  it('a rejection (or a synchronous throw) does not break the queue', async () => {
    const m = new KeyedMutex();
    const p1 = m.run('k', async () => {
      throw new Error('boom');
    });
    const p2 = m.run('k', () => {
      throw new Error('sync boom');
    });
    const p3 = m.run('k', async () => 'after');
    await expect(p1).rejects.toThrow('boom');
    await expect(p2).rejects.toThrow('sync boom');
    await expect(p3).resolves.toBe('after');
    expect(m.activeKeys).toBe(0);
  });

  it('removes the entry of a key once its queue is empty (no leak)', async () => {
    const m = new KeyedMutex();
    const gate = deferred();
    const p = m.run('x', () => gate.promise);
    const q = m.run('x', async () => 1);
    expect(m.activeKeys).toBe(1);
    gate.resolve();
    await p;
    await q;
    expect(m.activeKeys).toBe(0);

    await Promise.all(Array.from({ length: 1000 }, (_, i) => m.run(`k${i}`, async () => i)));
    expect(m.activeKeys).toBe(0);
    // A key used again after its entry went still works.
    await expect(m.run('x', async () => 'again')).resolves.toBe('again');
    expect(m.activeKeys).toBe(0);
  });
});
