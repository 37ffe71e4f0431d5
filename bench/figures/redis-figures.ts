import { rmSync } from 'node:fs';
import { createCore } from '../../electron/core/index';
import { createRedisClient } from '../../electron/core/sessions/stores/redis-connection';
import { FakeTime } from '../../test/support/fake-time';
import { TestRedis } from '../../test/support/redis-server';
import { type BenchConfig, Population, coreOptions, makeDataDir, seedUsers } from '../fixtures';
import { type Figure, median, nowMs, percentileOfSorted, range, seededRandom, shuffled } from '../measure';

/** Sessions on the redis engine: enough for stable per-call times, few enough to sign in quickly. */
const SESSIONS = { full: 5_000, smoke: 500 } as const;

/**
 * redis_dispatch_vs_roundtrip: a login-access dispatch (auth:activity) on the redis
 * engine, divided by one GET round trip to the same redis-server, by a client made
 * with the same options (ioredis, no offline queue, same command timeout), measured
 * in the same run, interleaved call by call (medians of each side). The engine's hot path costs one round trip
 * (EXISTS, pipelined with any pending write), so the ratio is that round trip plus
 * the core's own work: target <= 1.5.
 *
 * The bench starts its own redis-server (loopback, temporary folder, no persistence)
 * and stops it afterwards. The fake clock does not move: activity is persisted at most
 * every idle/10, so no call here writes (as for the great majority of real calls).
 */
export async function redisFigure(cfg: BenchConfig, passwordHash: string): Promise<Figure> {
  const redis = await TestRedis.start();
  const dataDir = makeDataDir();
  try {
    const n = SESSIONS[cfg.mode];
    const users = Math.min(cfg.users, n);
    const time = new FakeTime();
    seedUsers(dataDir, users, passwordHash, time.now());
    const base = coreOptions(dataDir, time, cfg);
    const core = await createCore({ ...base, settings: { ...base.settings, sessionEngine: 'redis', redisUrl: redis.url } });
    const client = createRedisClient({ url: redis.url, commandTimeoutMs: 2000 });
    try {
      await client.connect();
      await client.set('bench:probe', 'x');
      const pop = new Population({ ...cfg, users, sessions: n });
      await pop.signIn(core, range(n));
      const random = seededRandom(0x7ed15);
      const all = range(n);

      // Call by call, alternating: a GET, then a dispatch, each timed on its own, so the
      // noise of a shared machine lands on both sides alike; per-run medians of each.
      const pass = async (order: Uint32Array, calls: Float64Array, gets: Float64Array): Promise<void> => {
        for (let k = 0; k < order.length; k++) {
          const i = order[k] as number;
          const t0 = nowMs();
          if ((await client.get('bench:probe')) !== 'x') throw new Error('probe: wrong value');
          const t1 = nowMs();
          const reply = await core.dispatch(pop.sender(i), 'auth:activity', { sessionId: pop.ids[i] });
          const t2 = nowMs();
          if (!reply.ok) throw new Error(`redis dispatch failed: ${reply.error.code}`);
          gets[k] = t1 - t0;
          calls[k] = t2 - t1;
        }
      };
      const callTimes = new Float64Array(n);
      const getTimes = new Float64Array(n);
      await pass(shuffled(all, random), callTimes, getTimes); // warm-up
      const ratios: number[] = [];
      const rtts: number[] = [];
      const calls: number[] = [];
      for (let r = 0; r < cfg.hotRuns; r++) {
        await pass(shuffled(all, random), callTimes, getTimes);
        const call = percentileOfSorted(callTimes.slice().sort(), 50);
        const rtt = percentileOfSorted(getTimes.slice().sort(), 50);
        rtts.push(rtt * 1000);
        calls.push(call * 1000);
        ratios.push(call / rtt);
      }
      return {
        name: 'redis_dispatch_vs_roundtrip',
        value: median(ratios),
        unit: 'x',
        details:
          `p50 dispatch ${median(calls).toFixed(1)} µs, p50 GET ${median(rtts).toFixed(1)} µs, interleaved call by call, ` +
          `${n} sessions, ${cfg.hotRuns} runs; ${ratios.map((x) => x.toFixed(2)).join(' ')}`,
        target: { op: '<', value: 1.5, unit: 'x' },
      };
    } finally {
      client.disconnect();
      await core.close();
    }
  } finally {
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
