import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Core } from '../../electron/core/index';
import { CACHE_SIZE_KIB, DB_FILE } from '../../electron/core/db/database';
import { hashSessionId } from '../../electron/core/sessions/session-id';
import type { Population } from '../fixtures';
import { type Figure, median, nowMs, percentileOfSorted, range, seededRandom, shuffled } from '../measure';

/**
 * resolve_floor, dispatch_login_noop, dispatch_vs_floor.
 *
 * The floor is what any SQL-backed session store must pay per call at least: one
 * prepared SELECT joining the session (by its hash, the primary key) to its user,
 * prepared once and written `s.hash = +?` (a plain `= ?` is re-prepared on every run
 * by SQLite 3.54 in better-sqlite3 13: see reference/performance.md). It runs on its
 * own read-only connection to the same file, in WAL mode, while the core is open.
 *
 * The dispatch side is the real thing: core.dispatch(sender, 'auth:activity',
 * { sessionId }) for every live session, in a fresh random order each run (payload
 * guard, zod, session resolve, user and access rules, touch, handler, reply).
 *
 * Floor and dispatch runs alternate in the same process, so machine noise lands on
 * both sides of the ratio alike, and which of the two goes first alternates from one
 * pair to the next. The floor connection has the app's page cache (CACHE_SIZE_KIB),
 * and the database has been analyzed, as a long-lived installation's will be (the
 * app's statements must not hide a plan or re-prepare cost that ANALYZE brings out).
 * The first pass of each is a warm-up, not counted: it also lets every session
 * revalidate once after the setup logins (each login bumps the core's change generation).
 */
const FLOOR_SQL = `
  SELECT s.user_id, s.sender_id, s.locked, s.last_activity_at, s.absolute_expires_at, s.due_at, s.auth_at,
         u.username, u.is_active, u.is_staff, u.is_superuser, u.must_change_password
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.hash = +?`; // bound as the 32 raw bytes (how the column stores it)

const LATENCY_SAMPLE = 25_000;

/** Which side runs first in pair `run`: they alternate, so neither always gets the warmer cache. */
export function pairOrder(run: number): readonly ['floor', 'dispatch'] | readonly ['dispatch', 'floor'] {
  return run % 2 === 0 ? (['floor', 'dispatch'] as const) : (['dispatch', 'floor'] as const);
}

export async function hotPathFigures(core: Core, dataDir: string, pop: Population, runs: number): Promise<Figure[]> {
  const n = pop.cfg.sessions;
  const hashes = pop.ids.map((id) => Buffer.from(hashSessionId(id), 'hex'));
  const db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    // The app's page cache, not SQLite's 2 MiB default (about 15 % of the floor's speed).
    db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
    const cacheKib = -(db.pragma('cache_size', { simple: true }) as number);
    // The figures are only honest on an analyzed database (see analyzeDatabase in fixtures.ts).
    const statRows = db.prepare<[], number>("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").pluck().get()
      ? (db.prepare<[], number>('SELECT count(*) FROM sqlite_stat1').pluck().get() as number)
      : 0;
    if (statRows === 0) throw new Error('hot path: the database has no ANALYZE statistics; run analyzeDatabase first');
    const stmt = db.prepare<[Buffer], Record<string, unknown>>(FLOOR_SQL);
    const random = seededRandom(0x5eed);
    const all = range(n);

    const floorPass = (order: Uint32Array): number => {
      const t0 = nowMs();
      for (let k = 0; k < order.length; k++) {
        if (stmt.get(hashes[order[k] as number] as Buffer) === undefined) throw new Error('floor: a session row is missing');
      }
      return nowMs() - t0;
    };
    const dispatchPass = async (order: Uint32Array, latencies: Float64Array | null): Promise<number> => {
      let failures = 0;
      const t0 = nowMs();
      for (let k = 0; k < order.length; k++) {
        const i = order[k] as number;
        const c0 = latencies ? nowMs() : 0;
        const r = await core.dispatch(pop.sender(i), 'auth:activity', { sessionId: pop.ids[i] });
        if (latencies) latencies[k] = nowMs() - c0;
        if (!r.ok) failures++;
      }
      const elapsed = nowMs() - t0;
      if (failures > 0) throw new Error(`dispatch: ${failures} auth:activity calls failed`);
      return elapsed;
    };

    floorPass(shuffled(all, random));
    await dispatchPass(shuffled(all, random), null);

    const floorOps: number[] = [];
    const dispatchOps: number[] = [];
    const ratios: number[] = [];
    const p50s: number[] = [];
    const p99s: number[] = [];
    // Per-call latency on a random sample per run: percentiles need thousands, not all n.
    const sampled = Math.min(n, LATENCY_SAMPLE);
    const latencies = new Float64Array(sampled);
    const firsts: string[] = [];
    for (let r = 0; r < runs; r++) {
      const order = shuffled(all, random);
      let floor = 0;
      let dispatch = 0;
      for (const side of pairOrder(r)) {
        if (side === 'floor') floor = n / (floorPass(order) / 1000);
        else dispatch = n / ((await dispatchPass(order, null)) / 1000);
      }
      firsts.push(pairOrder(r)[0] === 'floor' ? 'F' : 'D');
      floorOps.push(floor);
      dispatchOps.push(dispatch);
      ratios.push(dispatch / floor);
      // Per-call latency in a separate pass, so the timer calls do not weigh on the throughput.
      await dispatchPass(shuffled(all, random).subarray(0, sampled), latencies);
      const sorted = latencies.slice().sort();
      p50s.push(percentileOfSorted(sorted, 50) * 1000);
      p99s.push(percentileOfSorted(sorted, 99) * 1000);
    }
    const p50 = median(p50s);
    const p99 = median(p99s);
    const floorPerCall = 1e6 / median(floorOps);
    return [
      {
        name: 'resolve_floor',
        value: median(floorOps),
        unit: 'ops/s',
        details:
          `${floorPerCall.toFixed(2)} µs/call, ${n} sessions, ${runs} runs, first in each pair ${firsts.join('')}, ` +
          `cache ${cacheKib / 1024} MiB, after ANALYZE (${statRows} stat rows)`,
      },
      {
        name: 'dispatch_login_noop',
        value: median(dispatchOps),
        unit: 'ops/s',
        details: `p50 ${p50.toFixed(1)} µs, p99 ${p99.toFixed(1)} µs (${sampled} calls per run), ${runs} runs`,
        target: { op: '<', value: 200, unit: 'µs', of: 'p99', measured: p99 },
      },
      {
        name: 'dispatch_vs_floor',
        value: median(ratios),
        unit: 'x',
        details: `median of per-run ratios; ${ratios.map((x) => x.toFixed(2)).join(' ')}`,
        target: { op: '>=', value: 0.5, unit: 'x' },
      },
    ];
  } finally {
    db.close();
  }
}
