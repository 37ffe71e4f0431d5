import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, type ChannelName } from '../../../../shared/contract';
import { ERROR_CODES, type Reply } from '../../../../shared/errors';
import { makeHarness, OTHER_PASSWORD, setupAdmin, STRONG_PASSWORD, type Harness } from '../../../support/core-harness';

/*
 * Property: whatever a (compromised) renderer sends on whatever channel, dispatch
 * never throws and answers a well-formed Reply whose code is in the closed set and
 * never INTERNAL (standards #65; DESIGN "The IPC contract"). Afterwards the core,
 * the database and Object.prototype are intact.
 */

/** Fixed, so a run is reproducible; FUZZ_SEED / FUZZ_RUNS explore further by hand. */
const SEED = Number(process.env.FUZZ_SEED ?? 20260101);
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 6000);
const REFRESH_EVERY = 100;
const SUDO_RUNS = Math.ceil(NUM_RUNS / 2);
const SUDO_SEGMENT = 150;

const KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'sessionId', 'username', 'password', 'remember',
  'forget', 'key', 'value', 'userId', 'groupId', 'handle', 'query', 'offset', 'limit', 'type', 'name', 'permissions',
  'groups', 'email', 'phone', 'displayName', 'isActive', 'isSuperuser', 'currentPassword', 'newPassword', 'theme',
];

let h: Harness;
let pool: string[];
const protoKeys = (o: object) => Reflect.ownKeys(o).map(String).sort();
const before = { object: protoKeys(Object.prototype), array: protoKeys(Array.prototype), fn: protoKeys(Function.prototype) };

/**
 * Fresh sessions for the pool: the fuzzer locks and signs them out, and its wrong
 * unlock passwords throttle the admin; two hours on, every back-off is over.
 */
async function refreshSessions(): Promise<void> {
  h.time.jump(2 * 3_600_000);
  const admin = (await h.ok<{ sessionId: string }>(1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD })).sessionId;
  const user = (await h.ok<{ sessionId: string }>(2, 'auth:login', { username: 'fuzzy', password: OTHER_PASSWORD })).sessionId;
  // Past sudo mode: the fuzzer can read the admin console but not change accounts.
  h.time.jump(300_000);
  pool = [admin, user, 'A'.repeat(43), ''];
}

beforeAll(async () => {
  h = await makeHarness();
  const admin = await setupAdmin(h);
  await h.ok(1, 'admin:users:create', { sessionId: admin, username: 'fuzzy', password: OTHER_PASSWORD, mustChangePassword: false });
  pool = [];
});
afterAll(async () => {
  await h.cleanup();
});

/** Own enumerable properties, `__proto__` included, as structured clone would build them. */
function own(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

function nest(depth: number, leaf: unknown, asArray: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { value: v };
  return v;
}

const special = fc.constantFrom<unknown>(
  NaN, Infinity, -Infinity, -0, 2 ** 53 + 2, 1e308, -1, 0.5, Number.MIN_VALUE, '', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF',
  'x\uD83D', '😀', 'e\u0301', '%', '_', "'; DROP TABLE users; --", 'admin', 'ADMIN', 'fuzzy', 'admin@example.com', '0123456789abcdef',
  'login.success', 'no.such.type', 'auth.view_user', 'auth.fly', 'dark', 'zh-CN', null, undefined, true, false,
);
const huge = fc.constantFrom<unknown>('x'.repeat(70 * 1024), '\uD800'.repeat(40_000), 'é'.repeat(40_000), 'y'.repeat(4097));
/** Mostly a live session (admin's, user's); sometimes a forged or empty one. */
const sessionId = fc.constantFrom(0, 0, 0, 1, 1, 1, 2, 3).map((i) => pool[i]);
const leaf = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: special },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 100 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 2, arbitrary: sessionId },
  { weight: 1, arbitrary: huge },
);
const anything = fc.anything({
  key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ unit: 'binary', maxLength: 10 })),
  values: [leaf],
  maxDepth: 6,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
});
const NAMES = Object.keys(channels) as ChannelName[];
/** The request schema's own field names (every request is a strict object). */
const fieldsOf = (c: ChannelName): string[] => Object.keys((channels[c].request as unknown as { shape: object }).shape);
const value = fc.oneof(
  { weight: 5, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(fc.oneof(special, fc.string({ maxLength: 20 })), { maxLength: 4 }) },
  { weight: 1, arbitrary: anything },
);
const text = fc.oneof(special.filter((v) => typeof v === 'string'), fc.string({ unit: 'binary', maxLength: 30 }));
const flag = fc.boolean();
const int = fc.oneof(fc.constantFrom(1, 2, 3), fc.integer({ min: -2, max: 70 }));
const codenames = fc.array(fc.constantFrom('auth.view_user', 'auth.add_user', 'sessions.view_session', 'auth.fly', 'nope', ''), { maxLength: 3 });
/** What each field of the contract expects, most of the time. */
const TYPED: Record<string, fc.Arbitrary<unknown>> = {
  remember: flag, forget: flag, isActive: flag, isStaff: flag, isSuperuser: flag, mustChangePassword: flag,
  userId: int, groupId: int, offset: int, limit: int,
  permissions: codenames, groups: fc.array(text, { maxLength: 2 }),
  value: fc.oneof(fc.jsonValue({ maxDepth: 4 }), anything),
  theme: fc.constantFrom('system', 'light', 'dark', 'DARK'), locale: fc.constantFrom('system', 'en', 'zh-CN', 'fr'),
};
const fieldValue = (f: string) => fc.oneof({ weight: 4, arbitrary: TYPED[f] ?? text }, { weight: 1, arbitrary: value });
/** Payloads built from the channel's own fields with mostly the right types, so many reach the handlers. */
const shapedFor = (c: ChannelName) => {
  const withSession = fieldsOf(c).includes('sessionId');
  const fields = fieldsOf(c).filter((f) => f !== 'sessionId');
  // Each field present 6 times in 7: required fields are usually there.
  const present = fc
    .tuple(...fields.map((f) => fc.option(fieldValue(f).map((v): [string, unknown] => [f, v]), { nil: null, freq: 7 })))
    .map((all) => all.filter((e): e is [string, unknown] => e !== null));
  const junk = fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KEYS), value) });
  return fc
    .tuple(present, junk, withSession ? fc.option(sessionId, { nil: undefined, freq: 4 }) : fc.constant(undefined))
    .map(([entries, extra, sid]) => own([...(sid === undefined ? [] : [['sessionId', sid] as [string, unknown]]), ...entries, ...(extra ? [extra] : [])]));
};
const deep = fc.tuple(fc.integer({ min: 20, max: 3000 }), leaf, fc.boolean()).map(([d, l, a]) => nest(d, l, a));
const weirdName = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'APP:INFO', 'app:info '),
);
const request: fc.Arbitrary<[unknown, unknown]> = fc.oneof(
  { weight: 7, arbitrary: fc.constantFrom(...NAMES).chain((c) => fc.tuple(fc.constant(c), shapedFor(c))) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...NAMES), fc.oneof(anything, deep)) },
  { weight: 1, arbitrary: fc.tuple(weirdName, fc.oneof(anything, deep)) },
);

function assertWellFormed(r: Reply, what: string): void {
  expect(typeof r, what).toBe('object');
  if (r.ok) {
    expect(Object.keys(r).sort(), what).toEqual(['data', 'ok']);
  } else {
    expect(r.ok, what).toBe(false);
    expect(ERROR_CODES, what).toContain(r.error.code);
    expect(r.error.code, `${what}: ${r.error.message}`).not.toBe('INTERNAL');
    expect(typeof r.error.message).toBe('string');
    expect(r.error.message.length).toBeGreaterThan(0);
    for (const v of Object.values(r.error.fields ?? {})) expect(typeof v).toBe('string');
  }
  // What crosses IPC must survive structured clone.
  expect(() => structuredClone(r), what).not.toThrow();
}

/** Runs the property against `core()`; `prepare(n)` runs before case n. Returns the case count. */
async function fuzz(runs: number, seed: number, core: () => Harness, prepare: (n: number) => Promise<void>): Promise<number> {
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(1, 1, 2, 2, 3), request, async (sender, [name, body]) => {
      await prepare(cases);
      cases++;
      let reply: Reply;
      try {
        reply = await core().core.dispatch(sender, name as string, body);
      } catch (e) {
        throw new Error(`dispatch threw on ${JSON.stringify(name)}: ${String(e)}`, { cause: e });
      }
      assertWellFormed(reply, JSON.stringify(name));
      const outcome = reply.ok ? 'ok' : reply.error.code;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }),
    { seed, numRuns: runs },
  );
  return cases;
}

function integrityOk(dataDir: string): void {
  const db = new Database(join(dataDir, 'accounts.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  } finally {
    db.close();
  }
}

const outcomes: Record<string, number> = {};
let total = 0;
afterAll(() => {
  console.log(`fuzz: ${total} dispatch cases ran (seed ${SEED}); outcomes ${JSON.stringify(outcomes)}`);
});

describe('dispatch under arbitrary input', () => {
  it('never throws, always answers a well-formed Reply, never INTERNAL', async () => {
    const cases = await fuzz(NUM_RUNS, SEED, () => h, async (n) => {
      if (n % REFRESH_EVERY === 0) await refreshSessions();
    });
    total += cases;
    expect(cases).toBe(NUM_RUNS);
  });

  it('leaves the core, the database and the prototypes intact', async () => {
    expect((await h.ok(1, 'app:info')).setupRequired).toBe(false);
    // Past any back-off and the hourly window the fuzzer may have caused.
    h.time.jump(2 * 3_600_000);
    expect((await h.call(7, 'auth:login', { username: 'admin', password: STRONG_PASSWORD })).ok).toBe(true);
    expect((await h.call(8, 'auth:login', { username: 'fuzzy', password: OTHER_PASSWORD })).ok).toBe(true);
    integrityOk(h.dataDir);
    expect(protoKeys(Object.prototype)).toEqual(before.object);
    expect(protoKeys(Array.prototype)).toEqual(before.array);
    expect(protoKeys(Function.prototype)).toEqual(before.fn);
    expect(({} as Record<string, unknown>).value).toBeUndefined();
  });

  it('the same with a superuser in sudo mode (it may change anything: a fresh core every segment)', async () => {
    let s: Harness | null = null;
    const segment = async () => {
      if (s) {
        expect((await s.call(9, 'app:info', {})).ok).toBe(true);
        integrityOk(s.dataDir);
        await s.cleanup();
      }
      s = await makeHarness();
      const admin = await setupAdmin(s);
      await s.ok(1, 'admin:users:create', { sessionId: admin, username: 'fuzzy', password: OTHER_PASSWORD, mustChangePassword: false });
      const user = (await s.ok<{ sessionId: string }>(2, 'auth:login', { username: 'fuzzy', password: OTHER_PASSWORD })).sessionId;
      pool = [admin, user, 'A'.repeat(43), ''];
    };
    try {
      const cases = await fuzz(SUDO_RUNS, SEED + 1, () => s as Harness, async (n) => {
        if (n % SUDO_SEGMENT === 0) await segment();
      });
      total += cases;
      expect(cases).toBe(SUDO_RUNS);
      await segment();
    } finally {
      await (s as Harness | null)?.cleanup();
    }
    expect(protoKeys(Object.prototype)).toEqual(before.object);
  });
});
