import type { Core } from '../electron/core/index';

/** The password of every demo account (printed by `npm run preview:web -- --demo`). */
export const DEMO_PASSWORD = 'amber koala sings at dawn 7';

export interface DemoAccount {
  username: string;
  displayName: string;
  note: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'admin', displayName: 'Ada Admin', note: 'administrator (superuser)' },
  { username: 'alice', displayName: 'Alice Martin', note: 'staff, in group Support' },
  { username: 'bob', displayName: 'Bob Chen', note: 'plain user' },
  { username: 'wei', displayName: '王伟', note: 'plain user, Chinese display name' },
];

/** A sender no browser tab uses (tabs count up from 1). */
const SEED_SENDER = 2 ** 31;

/**
 * Seeds a fresh data folder through the core's own channels (so every rule and the
 * audit log apply): the administrator, a "Support" group that can view users and
 * sessions, and a few users. Answers false, seeding nothing, when the folder already
 * has users.
 */
export async function seedDemo(core: Core): Promise<boolean> {
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const r = await core.dispatch(SEED_SENDER, channel, payload);
    if (!r.ok) throw new Error(`--demo: ${channel} failed: ${r.error.message}`);
    return r.data as T;
  };
  const info = await call<{ setupRequired: boolean }>('app:info', {});
  if (!info.setupRequired) return false;
  const [admin, ...others] = DEMO_ACCOUNTS as [DemoAccount, ...DemoAccount[]];
  const { sessionId } = await call<{ sessionId: string }>('setup:create-admin', {
    username: admin.username,
    displayName: admin.displayName,
    email: 'ada@example.com',
    password: DEMO_PASSWORD,
  });
  try {
    await call('admin:groups:create', {
      sessionId,
      name: 'Support',
      permissions: ['auth.view_user', 'sessions.view_session'],
    });
    for (const u of others) {
      await call('admin:users:create', {
        sessionId,
        username: u.username,
        displayName: u.displayName,
        password: DEMO_PASSWORD,
        mustChangePassword: false,
        ...(u.username === 'alice' ? { isStaff: true, groups: ['Support'], email: 'alice@example.com' } : {}),
      });
    }
  } finally {
    await core.dispatch(SEED_SENDER, 'auth:logout', { sessionId });
    await core.senderClosed(SEED_SENDER);
  }
  return true;
}
