import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../electron/core/db/database';
import { makeHarness, setupAdmin, STRONG_PASSWORD, type Harness } from '../support/core-harness';

/**
 * The WAL must stay bounded while the app runs, under the bursts that used to grow it
 * without limit (issue 12: 20,000 session:data:set on a 40 KiB session left a 98 MiB WAL;
 * 3,000 sign-in/out loops at cost 4 left 186 MiB). The file is measured after every
 * call, through dispatch, with the real background checkpointer running.
 */
const LIMIT = 16 * 2 ** 20;

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

function walWatcher(dataDir: string): { sample(): void; readonly max: number } {
  const wal = join(dataDir, `${DB_FILE}-wal`);
  let max = 0;
  return {
    sample() {
      if (existsSync(wal)) max = Math.max(max, statSync(wal).size);
    },
    get max() {
      return max;
    },
  };
}

describe('WAL size while the app runs', () => {
  it('stays under 16 MiB through thousands of session:data:set on a 40 KiB session', { timeout: 120_000 }, async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    const watch = walWatcher(h.dataDir);
    await h.ok(1, 'session:data:set', { sessionId: admin, key: 'big', value: 'x'.repeat(40 * 1024) });
    for (let i = 0; i < 6_000; i++) {
      await h.ok(1, 'session:data:set', { sessionId: admin, key: 'n', value: i });
      watch.sample();
    }
    expect(await h.ok<unknown>(1, 'session:data:get', { sessionId: admin, key: 'n' })).toBe(5_999);
    expect(watch.max).toBeGreaterThan(0);
    expect(watch.max).toBeLessThan(LIMIT);
  });

  it('stays under 16 MiB through sign-in/out loops at bcrypt cost 4', { timeout: 120_000 }, async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const watch = walWatcher(h.dataDir);
    for (let i = 0; i < 1_500; i++) {
      const { sessionId } = await h.ok<{ sessionId: string }>(2, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });
      await h.ok(2, 'auth:logout', { sessionId });
      watch.sample();
    }
    expect(watch.max).toBeGreaterThan(0);
    expect(watch.max).toBeLessThan(LIMIT);
  });
});
