import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdminSessionInfo, AdminUser, List, LoginResult } from '../../../../shared/dto';
import { makeHarness, OTHER_PASSWORD, setupAdmin, type Harness } from '../../../support/core-harness';
import { TestRedis } from '../../../support/redis-server';

/*
 * admin:sessions:list names the window each session is bound to (windowId: the
 * senderId the session may be used from) and the profile behind it, on every session
 * engine (a profile without a display name sends '': the renderer shows the username).
 */

let redis: TestRedis;
const harnesses: Harness[] = [];
beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.cleanup();
});

const engines = {
  sqlite: () => ({ sessionEngine: 'sqlite' as const }),
  memory: () => ({ sessionEngine: 'memory' as const }),
  redis: () => ({ sessionEngine: 'redis' as const, redisUrl: redis.url }),
};

async function world(engine: keyof typeof engines) {
  const h = await makeHarness({ settings: engines[engine]() });
  harnesses.push(h);
  const admin = await setupAdmin(h, 1);
  await h.ok<AdminUser>(1, 'admin:users:create', {
    sessionId: admin, username: 'bob', displayName: 'Bob Builder', password: OTHER_PASSWORD, mustChangePassword: false,
  });
  for (const sender of [7, 42]) {
    h.time.jump(1000);
    await h.ok<LoginResult>(sender, 'auth:login', { username: 'bob', password: OTHER_PASSWORD });
  }
  const list = async () =>
    (await h.ok<List<AdminSessionInfo>>(1, 'admin:sessions:list', { sessionId: admin })).items.map((s) => [
      s.username, s.displayName, s.windowId, s.current, /^#|^[a-z]/i.test(s.avatarColor),
    ]);
  return { list };
}

describe('admin:sessions:list: window and profile', () => {
  for (const engine of Object.keys(engines) as (keyof typeof engines)[]) {
    it(`names the window (senderId) and the profile of each session (${engine})`, async () => {
      const { list } = await world(engine);
      expect(await list()).toEqual([
        ['admin', '', 1, true, true],
        ['bob', 'Bob Builder', 7, false, true],
        ['bob', 'Bob Builder', 42, false, true],
      ]);
    });
  }

});
