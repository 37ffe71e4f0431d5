import { describe, expect, it } from 'vitest';
import { pairOrder } from '../../bench/figures/hot-path-figures';
import type { Figure } from '../../bench/measure';
import { EXIT_TARGET_MISSED, benchExitCode } from '../../bench/run-bench';

const met: Figure = { name: 'a', value: 1, unit: 'ms', target: { op: '<', value: 2, unit: 'ms' } };
const missed: Figure = { name: 'b', value: 3, unit: 'ms', target: { op: '<', value: 2, unit: 'ms' } };
const untargeted: Figure = { name: 'c', value: 3, unit: 'ms' };

describe('npm run bench -- --strict', () => {
  it('exits non-zero when a target is missed, only with --strict (the CI smoke run stays informative)', () => {
    expect(benchExitCode([met, missed, untargeted], true)).toBe(EXIT_TARGET_MISSED);
    expect(EXIT_TARGET_MISSED).not.toBe(0);
    expect(benchExitCode([met, missed, untargeted], false)).toBe(0);
    expect(benchExitCode([met, untargeted], true)).toBe(0);
  });
});

describe('hot path pairs', () => {
  it('alternate which side runs first', () => {
    expect([0, 1, 2, 3].map((r) => pairOrder(r)[0])).toEqual(['floor', 'dispatch', 'floor', 'dispatch']);
    for (const r of [0, 1]) expect([...pairOrder(r)].sort()).toEqual(['dispatch', 'floor']);
  });
});
