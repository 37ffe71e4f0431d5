import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mulberry32 } from '../test/support/seeded-random';

/**
 * Measurement helpers for the bench: medians, percentiles, a seeded shuffle, a
 * handle on the garbage collector, and the one output format every figure uses:
 *
 *   name: value unit [details] (target < X unit) PASS|MISS
 *
 * The value is always the first token after "name: " and always a plain decimal
 * number, so tools (and the smoke test) can parse a line without knowing the figure.
 */

export interface Target {
  /** '<': the value must stay below; '>=': the value must reach at least. */
  op: '<' | '>=';
  value: number;
  unit: string;
  /** What the target is about, when it is not the figure's own value (e.g. "p99"). */
  of?: string;
  /** The number compared with the target, when it is not the figure's value. */
  measured?: number;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Extra facts printed in brackets after the unit (p50/p99, the two sides of a difference...). */
  details?: string;
  target?: Target;
}

/** Median of a non-empty list (mean of the two middle values for an even length). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile (p in 0..100) of a list sorted ascending in place. */
export function percentileOfSorted(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of nothing');
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Milliseconds, sub-microsecond resolution, monotonic. */
export function nowMs(): number {
  return performance.now();
}

/** Runs fn once and answers how long it took, in ms. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** A seeded PRNG, so every run visits sessions in a reproducible random order. */
export const seededRandom = mulberry32;

/** A random permutation of `indices` (Fisher-Yates), as a new array. */
export function shuffled(indices: ArrayLike<number>, random: () => number): Uint32Array {
  const out = Uint32Array.from(indices);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}

/** 0..n-1. */
export function range(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * The V8 collector: global.gc when node runs with --expose-gc (the entry re-executes
 * itself with it), else the same function obtained by turning the flag on at run
 * time (how the smoke test gets it inside a vitest worker).
 */
export function getGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('cannot reach the garbage collector; run node with --expose-gc');
  return gc as () => void;
}

/** heapUsed after full collections (twice: weak references and finalizers settle on the second). */
export function settledHeapUsed(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A readable number: integers above 1000, else three significant digits at most two decimals. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return String(Math.round(n));
  if (abs >= 100) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

export function passes(figure: Figure): boolean | null {
  const t = figure.target;
  if (!t) return null;
  const measured = t.measured ?? figure.value;
  return t.op === '<' ? measured < t.value : measured >= t.value;
}

export function formatFigure(figure: Figure): string {
  let line = `${figure.name}: ${formatNumber(figure.value)} ${figure.unit}`;
  if (figure.details) line += ` [${figure.details}]`;
  const t = figure.target;
  if (t) {
    const op = t.op === '<' ? '<' : '≥';
    line += ` (target${t.of ? ` ${t.of}` : ''} ${op} ${t.value} ${t.unit}) ${passes(figure) ? 'PASS' : 'MISS'}`;
  }
  return line;
}
