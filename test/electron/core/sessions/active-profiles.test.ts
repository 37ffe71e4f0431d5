import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, setupAdmin, STRONG_PASSWORD, type Harness } from '../../../support/core-harness';

/*
 * profiles:activate and the Core API the Account menu is built from:
 * activeProfileOf(senderId) and onProfilesChanged(listener), driven through dispatch.
 */

type Login = { sessionId: string; session: { handle: string } };

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

async function start(settings: Record<string, unknown> = {}) {
  h = await makeHarness({ settings });
  const admin = await setupAdmin(h, 1);
  await h.ok(1, 'admin:users:create', { sessionId: admin, username: 'bob', password: STRONG_PASSWORD, mustChangePassword: false });
  await h.ok(1, 'admin:users:create', { sessionId: admin, username: 'carol', password: STRONG_PASSWORD, mustChangePassword: false });
  const changes: number[] = [];
  const stop = h.core.onProfilesChanged((senderId) => changes.push(senderId));
  return { h, admin, changes, stop };
}

const login = (harness: Harness, senderId: number, username: string) =>
  harness.ok<Login>(senderId, 'auth:login', { username, password: STRONG_PASSWORD });

/** Lets the coalesced notifications (queued on a microtask) run. */
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('profiles:activate', () => {
  it('sets the window active profile, which activeProfileOf reports by handle', async () => {
    const { h } = await start();
    const bob = await login(h, 2, 'bob');
    const carol = await login(h, 2, 'carol');
    expect(h.core.activeProfileOf(2)).toBeNull();
    expect(await h.ok(2, 'profiles:activate', { sessionId: bob.sessionId })).toEqual({});
    expect(h.core.activeProfileOf(2)).toBe(bob.session.handle);
    await h.ok(2, 'profiles:activate', { sessionId: carol.sessionId });
    expect(h.core.activeProfileOf(2)).toBe(carol.session.handle);
    // Another window is untouched.
    expect(h.core.activeProfileOf(1)).toBeNull();
  });

  it('needs a session of the calling window', async () => {
    const { h } = await start();
    const bob = await login(h, 2, 'bob');
    expect(await h.errorCode(2, 'profiles:activate', {})).toBe('NOT_AUTHENTICATED');
    expect(await h.errorCode(3, 'profiles:activate', { sessionId: bob.sessionId })).toBe('SESSION_INVALID');
    expect(await h.errorCode(2, 'profiles:activate', { sessionId: bob.sessionId, extra: 1 })).toBe('VALIDATION_ERROR');
    expect(h.core.activeProfileOf(3)).toBeNull();
  });

  it('accepts a locked session (switching to it shows its lock screen)', async () => {
    const { h } = await start();
    const bob = await login(h, 2, 'bob');
    await h.ok(2, 'auth:lock', { sessionId: bob.sessionId });
    expect(await h.ok(2, 'profiles:activate', { sessionId: bob.sessionId })).toEqual({});
    expect(h.core.activeProfileOf(2)).toBe(bob.session.handle);
  });

  it('follows the profile through an unlock, which rotates the session and its handle', async () => {
    const { h } = await start();
    const bob = await login(h, 2, 'bob');
    await h.ok(2, 'profiles:activate', { sessionId: bob.sessionId });
    await h.ok(2, 'auth:lock', { sessionId: bob.sessionId });
    const unlocked = await h.ok<Login>(2, 'auth:unlock', { sessionId: bob.sessionId, password: STRONG_PASSWORD });
    expect(unlocked.session.handle).not.toBe(bob.session.handle);
    expect(h.core.activeProfileOf(2)).toBe(unlocked.session.handle);
  });

  it('is cleared when the active session ends, and a later sign-in of that profile does not revive it', async () => {
    const { h } = await start();
    const bob = await login(h, 2, 'bob');
    await login(h, 2, 'carol');
    await h.ok(2, 'profiles:activate', { sessionId: bob.sessionId });
    await h.ok(2, 'auth:logout', { sessionId: bob.sessionId });
    expect(h.core.activeProfileOf(2)).toBeNull();
    await settle();
    await login(h, 2, 'bob');
    expect(h.core.activeProfileOf(2)).toBeNull();
  });

  it('is cleared when the window closes', async () => {
    const { h } = await start();
    const bob = await login(h, 2, 'bob');
    await h.ok(2, 'profiles:activate', { sessionId: bob.sessionId });
    await h.core.senderClosed(2);
    expect(h.core.activeProfileOf(2)).toBeNull();
    expect(h.core.profilesOf(2)).toEqual([]);
  });
});

describe('onProfilesChanged', () => {
  it('fires for the window on sign-in, activate, lock, unlock and logout', async () => {
    const { h, changes } = await start();
    await settle();
    changes.length = 0;

    const bob = await login(h, 2, 'bob');
    await settle();
    expect(changes).toEqual([2]);

    await h.ok(2, 'profiles:activate', { sessionId: bob.sessionId });
    await settle();
    expect(changes).toEqual([2, 2]);

    await h.ok(2, 'auth:lock', { sessionId: bob.sessionId });
    await settle();
    const unlocked = await h.ok<Login>(2, 'auth:unlock', { sessionId: bob.sessionId, password: STRONG_PASSWORD });
    await settle();
    await h.ok(2, 'auth:logout', { sessionId: unlocked.sessionId });
    await settle();
    expect(changes).toEqual([2, 2, 2, 2, 2]);
  });

  it('does not fire when the active profile is reported again unchanged, nor for public calls', async () => {
    const { h, changes } = await start();
    const bob = await login(h, 2, 'bob');
    await h.ok(2, 'profiles:activate', { sessionId: bob.sessionId });
    await settle();
    changes.length = 0;
    await h.ok(2, 'profiles:activate', { sessionId: bob.sessionId });
    await h.ok(2, 'app:info');
    await h.ok(2, 'auth:activity', { sessionId: bob.sessionId });
    await settle();
    expect(changes).toEqual([]);
  });

  it('coalesces a burst into one notification per window (lockAll over three profiles)', async () => {
    const { h, changes } = await start();
    await login(h, 2, 'bob');
    await login(h, 2, 'carol');
    await login(h, 3, 'bob');
    await settle();
    changes.length = 0;
    expect(await h.core.lockAll('lock-all')).toBe(4); // admin on 1, bob and carol on 2, bob on 3
    await settle();
    expect([...changes].sort()).toEqual([1, 2, 3]);
  });

  it('fires when the window closes and its sessions end', async () => {
    const { h, changes } = await start();
    await login(h, 2, 'bob');
    await settle();
    changes.length = 0;
    await h.core.senderClosed(2);
    await settle();
    expect(changes).toEqual([2]);
  });

  it('stops after unsubscribe; a throwing listener does not starve the others', async () => {
    const { h, changes, stop } = await start();
    const seen: number[] = [];
    h.core.onProfilesChanged(() => {
      throw new Error('menu exploded');
    });
    h.core.onProfilesChanged((id) => seen.push(id));
    stop();
    await settle();
    changes.length = 0;
    await login(h, 4, 'carol');
    await settle();
    expect(changes).toEqual([]);
    expect(seen).toContain(4);
  });

  it('drops what is still queued when the core closes', async () => {
    const { h, changes } = await start();
    await login(h, 2, 'bob');
    await settle();
    changes.length = 0;
    // lockAll queues a notification synchronously; close() runs before the microtask.
    const locking = h.core.lockAll('lock-all');
    const closing = h.core.close();
    await Promise.all([locking, closing]);
    await settle();
    expect(changes).toEqual([]);
  });
});
