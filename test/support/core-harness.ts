import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../shared/errors';
import { createCore, type Core, type CoreOptions } from '../../electron/core/index';
import { MemoryKeychain } from '../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../electron/core/log';
import { FakeTime } from './fake-time';

export const STRONG_PASSWORD = 'correct horse battery staple 42';
export const OTHER_PASSWORD = 'violet umbrella marching slowly';

export interface EventRecord {
  senderId: number;
  event: string;
  payload: Record<string, unknown>;
}

/** A core on a fresh temp data dir, fake time, in-memory keychain, bcrypt cost 4. */
export interface Harness {
  core: Core;
  time: FakeTime;
  keychain: MemoryKeychain;
  dataDir: string;
  events: EventRecord[];
  call(senderId: number, channel: string, payload?: unknown): Promise<Reply>;
  ok<T = Record<string, unknown>>(senderId: number, channel: string, payload?: unknown): Promise<T>;
  errorCode(senderId: number, channel: string, payload?: unknown): Promise<string>;
  restart(overrides?: Partial<CoreOptions>): Promise<void>;
  cleanup(): Promise<void>;
}

export async function makeHarness(options: Partial<CoreOptions> = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'accounts-core-'));
  const time = new FakeTime();
  const keychain = new MemoryKeychain();
  const events: EventRecord[] = [];
  const build = (extra: Partial<CoreOptions> = {}) =>
    createCore({
      dataDir,
      clock: time,
      scheduler: time,
      keychain,
      logger: silentLogger,
      ...options,
      ...extra,
      settings: { bcryptCost: 4, ...options.settings, ...extra.settings },
    });
  let core = await build();
  let unsubscribe = core.onEvent((senderId, event, payload) => events.push({ senderId, event, payload: payload as never }));
  const h: Harness = {
    get core() {
      return core;
    },
    time,
    keychain,
    dataDir,
    events,
    call: (senderId, channel, payload = {}) => core.dispatch(senderId, channel, payload),
    async ok(senderId, channel, payload = {}) {
      const r = await core.dispatch(senderId, channel, payload);
      if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`);
      return r.data as never;
    },
    async errorCode(senderId, channel, payload = {}) {
      const r = await core.dispatch(senderId, channel, payload);
      if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
      return r.error.code;
    },
    async restart(extra) {
      unsubscribe();
      await core.close();
      core = await build(extra);
      unsubscribe = core.onEvent((senderId, event, payload) => events.push({ senderId, event, payload: payload as never }));
    },
    async cleanup() {
      unsubscribe();
      await core.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Runs setup (admin / STRONG_PASSWORD) on sender 1 and returns the admin's session ID. */
export async function setupAdmin(h: Harness, senderId = 1): Promise<string> {
  const r = await h.ok<{ sessionId: string }>(senderId, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
  return r.sessionId;
}
