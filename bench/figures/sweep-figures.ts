import type { Core } from '../../electron/core/index';
import type { FakeTime } from '../../test/support/fake-time';
import { IDLE_MS, type Population } from '../fixtures';
import { type Figure, median, timeMs } from '../measure';

/**
 * sweep_100k_10pct and sweep_100k_none: core.sweep() ending exactly the doomed
 * tenth of the population (idle), then sweeps with nothing due.
 *
 * Choreography, on the core's fake clock (jump() moves it without firing the
 * sweeper's own timer, so only the timed core.sweep() runs), one round at time t:
 *   t          doomed slots signed in again (rounds after the first); others active
 *              (in memory only: their activity was persisted 60 s ago, under idle/10)
 *   t + 850 s  others active again: persisted this time, so due at t + 1750 s
 *   t + 910 s  doomed: last activity t, idle timeout 900 s -> due and idle; sweep
 * A round (910 s) is longer than the idle timeout, so the others need two calls per
 * round to stay alive; the gaps are chosen so only one of them writes (the bench's
 * slowest part is that write, ~100 µs per session). Each round ends exactly
 * doomed.length sessions, or the bench fails.
 */
const FIRST_GAP_MS = 850_000;
const SECOND_GAP_MS = IDLE_MS + 10_000 - FIRST_GAP_MS;

/** Leaves the doomed slots ended (ids ''); the caller signs them in again if it needs them. */
export async function sweepFigures(core: Core, time: FakeTime, pop: Population, rounds: number, noneRuns: number): Promise<Figure[]> {
  const expected = pop.doomed.length;
  const tenPct: number[] = [];
  const none: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // The population arrives with every session live; later rounds refill the doomed slots.
    if (round > 0) await pop.signIn(core, pop.doomed);
    await pop.activity(core, pop.others);
    time.jump(FIRST_GAP_MS);
    await pop.activity(core, pop.others);
    time.jump(SECOND_GAP_MS);
    let ended = 0;
    tenPct.push(
      await timeMs(async () => {
        ended = await core.sweep();
      }),
    );
    if (ended !== expected) throw new Error(`sweep: ended ${ended} sessions, expected exactly ${expected}`);
    for (const i of pop.doomed) pop.ids[i] = '';
    for (let k = 0; k < noneRuns; k++) {
      let endedNone = -1;
      none.push(
        await timeMs(async () => {
          endedNone = await core.sweep();
        }),
      );
      if (endedNone !== 0) throw new Error(`sweep with nothing due ended ${endedNone} sessions`);
    }
  }
  const total = pop.cfg.sessions;
  return [
    {
      name: 'sweep_100k_10pct',
      value: median(tenPct),
      unit: 'ms',
      details: `${expected} due of ${total}, runs ${tenPct.map((x) => x.toFixed(1)).join(' ')} ms`,
      target: { op: '<', value: 150, unit: 'ms' },
    },
    {
      name: 'sweep_100k_none',
      value: median(none),
      unit: 'ms',
      details: `0 due of ${total - expected}, ${none.length} runs`,
      target: { op: '<', value: 2, unit: 'ms' },
    },
  ];
}
