import { describe, expect, it } from 'vitest';
import { hashSessionId, newSessionId } from '../../../../../electron/core/sessions/session-id';
import { MemorySessionStore } from '../../../../../electron/core/sessions/stores/memory-session-store';
import { describeSessionStoreContract } from './session-store-contract';

describeSessionStoreContract('MemorySessionStore', () => ({
  store: new MemorySessionStore(),
  userIds: [1, 2, 3],
  cleanup: () => {},
}));

describe('MemorySessionStore specifics', () => {
  it('shares nothing between instances (the memory engine is per process, per store)', () => {
    const a = new MemorySessionStore();
    const b = new MemorySessionStore();
    const hash = hashSessionId(newSessionId());
    a.insert({
      hash,
      userId: 1,
      senderId: 1,
      backend: 'model',
      createdAt: 0,
      lastActivityAt: 0,
      absoluteExpiresAt: 1,
      dueAt: 1,
      locked: false,
      authAt: null,
      data: '{}',
    });
    expect(a.exists(hash)).toBe(true);
    expect(b.exists(hash)).toBe(false);
    expect(b.count()).toBe(0);
  });
});
