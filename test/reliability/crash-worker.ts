/**
 * The child process of crash-safety.test.ts: the real core doing real work until the
 * parent kills it with SIGKILL. Plain Node, never Electron:
 *
 *   node --import tsx test/reliability/crash-worker.ts <dataDir> <round> <seed>
 *
 * Protocol on stdout, one JSON object per line (CrashLine in crash-model.ts):
 * - `{"phase":"ready"}` once the core is up and the admin is signed in;
 * - `{"phase":"intent",...op}` just BEFORE each writing call, so the parent knows which
 *   single operation may have been cut in half;
 * - `{"phase":"done",...op}` just AFTER the call answered ok: it is committed.
 * process.stdout.write on a pipe is synchronous on Linux, so a line is out of the
 * process before the next call starts (a SIGKILL cannot eat a reported line).
 *
 * Each round works on fresh users named r<round>u<i>; earlier rounds' users are only
 * checked by the parent, never touched again.
 */
import { createCore } from '../../electron/core/index';
import { MemoryKeychain } from '../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../electron/core/log';
import type { Reply } from '../../shared/errors';
import { ADMIN_PASSWORD, GROUPS, mulberry32, type CrashOp } from './crash-model';

const ADMIN_SENDER = 1;
const WORDS = ['amber', 'falcon', 'quiet', 'harbor', 'violet', 'meadow', 'copper', 'lantern', 'orbit', 'willow'];

const [dataDir, roundArg, seedArg] = process.argv.slice(2);
if (!dataDir || roundArg === undefined || seedArg === undefined) {
  process.stderr.write('usage: crash-worker.ts <dataDir> <round> <seed>\n');
  process.exit(2);
}
const round = Number(roundArg);
const random = mulberry32(Number(seedArg));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const newPassword = (): string =>
  `${pick(WORDS)} ${pick(WORDS)} ${Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0')}`;

const say = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const core = await createCore({
  dataDir,
  keychain: new MemoryKeychain(),
  logger: silentLogger,
  settings: { sessionEngine: 'sqlite', bcryptCost: 4 },
});

/** One call that must succeed: anything else is a bug the parent reports with stderr. */
async function ok<T = Record<string, unknown>>(senderId: number, channel: string, payload: object): Promise<T> {
  const r: Reply = await core.dispatch(senderId, channel, payload);
  if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

/** Announces op, runs it, reports it committed (with what only the reply knows). */
async function step<T>(op: CrashOp, run: () => Promise<T>, extra: (result: T) => Partial<CrashOp> = () => ({})): Promise<T> {
  say({ phase: 'intent', ...op });
  const result = await run();
  say({ phase: 'done', ...op, ...extra(result) });
  return result;
}

interface Login {
  sessionId: string;
  session: { handle: string };
  user: { id: number };
}

const info = await ok<{ setupRequired: boolean }>(ADMIN_SENDER, 'app:info', {});
const admin = info.setupRequired
  ? await ok<Login>(ADMIN_SENDER, 'setup:create-admin', { username: 'admin', password: ADMIN_PASSWORD })
  : await ok<Login>(ADMIN_SENDER, 'auth:login', { username: 'admin', password: ADMIN_PASSWORD });
const sid = admin.sessionId;
const existing = await ok<{ items: { name: string }[] }>(ADMIN_SENDER, 'admin:groups:list', { sessionId: sid });
for (const name of GROUPS) {
  if (!existing.items.some((g) => g.name === name)) await ok(ADMIN_SENDER, 'admin:groups:create', { sessionId: sid, name, permissions: [] });
}
say({ phase: 'ready' });

const login = (username: string, password: string, sender: number, remember: boolean) =>
  step(
    { kind: 'login', username, sender, remember },
    () => ok<Login>(sender, 'auth:login', { username, password, remember }),
    (r) => ({ handle: r.session.handle }),
  );

for (let i = 0; ; i++) {
  const username = `r${round}u${i}`;
  const groups = GROUPS.filter(() => random() < 0.6);
  let password = newPassword();
  const created = await step({ kind: 'create', username, groups, password }, () =>
    ok<{ id: number }>(ADMIN_SENDER, 'admin:users:create', { sessionId: sid, username, password, groups, mustChangePassword: false }),
  );
  const senderA = 1000 + 2 * i;
  const senderB = senderA + 1;
  let a = await login(username, password, senderA, random() < 0.5);
  const b = await login(username, password, senderB, random() < 0.5);
  const plan = random();
  if (plan < 0.2) {
    await step({ kind: 'deactivate', username }, () =>
      ok(ADMIN_SENDER, 'admin:users:update', { sessionId: sid, userId: created.id, isActive: false }),
    );
    continue;
  }
  if (plan < 0.55) {
    // An administrator resets it: every session of the user ends, a change is then required.
    password = newPassword();
    const next = password;
    await step({ kind: 'set-password', username, password: next }, () =>
      ok(ADMIN_SENDER, 'admin:users:set-password', { sessionId: sid, userId: created.id, password: next }),
    );
    a = await login(username, password, senderA, false);
  } else if (random() < 0.5) {
    await step({ kind: 'logout', username, handle: b.session.handle }, () => ok(senderB, 'auth:logout', { sessionId: b.sessionId }));
  }
  // Own change: the other sessions end, this one continues under a new ID.
  const current = password;
  const next = newPassword();
  await step(
    { kind: 'change-password', username, password: next, handle: a.session.handle },
    () => ok<Login>(senderA, 'account:change-password', { sessionId: a.sessionId, currentPassword: current, newPassword: next }),
    (r) => ({ newHandle: r.session.handle }),
  );
}
