import { describe, expect, it } from 'vitest';
import { FIGURE_NAMES, main } from '../../bench/run-bench';

/**
 * CI runs the bench only in smoke mode (tiny data, bcrypt cost 4): it proves every
 * figure still runs end to end against the current core and prints a parsable line
 * `name: <number> <unit> ...`. The numbers themselves are not judged here: they mean
 * nothing on tiny data and a shared CI machine; `npm run bench` is for that.
 */
describe('bench smoke mode', () => {
  it('prints every figure once, each with a finite numeric value and a unit', async () => {
    const lines: string[] = [];
    const figures = await main({ smoke: true, print: (line) => lines.push(line) });

    expect(figures.map((f) => f.name).sort()).toEqual([...FIGURE_NAMES].sort());
    for (const name of FIGURE_NAMES) {
      const matching = lines.filter((l) => l.startsWith(`${name}: `));
      expect(matching, `one line for ${name}`).toHaveLength(1);
      const m = /^[a-z0-9_]+: (-?\d+(?:\.\d+)?) (\S+)/.exec(matching[0] as string);
      expect(m, `"${matching[0]}" has a numeric value and a unit`).not.toBeNull();
      expect(Number.isFinite(Number(m?.[1]))).toBe(true);
    }
    // Figures with a target say whether they met it.
    for (const line of lines.filter((l) => l.includes('(target'))) expect(line).toMatch(/\) (PASS|MISS)$/);
    // The hot path is measured as a long-lived installation runs: on an analyzed database,
    // the floor with the app's 16 MiB page cache, and the side that goes first alternating.
    const floor = lines.find((l) => l.startsWith('resolve_floor: ')) as string;
    expect(floor).toMatch(/after ANALYZE \([1-9]\d* stat rows\)/);
    expect(floor).toContain('cache 16 MiB');
    expect(floor).toContain('first in each pair FDF');
    // Comment lines (mode, timings) start with '#'; nothing else is printed.
    expect(lines.filter((l) => !l.startsWith('#'))).toHaveLength(FIGURE_NAMES.length);
  }, 120_000);
});
