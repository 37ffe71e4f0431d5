import { describe, expect, it } from 'vitest';
import {
  KeychainUnavailableError,
  PROBE_ACCOUNT,
  probeKeychain,
  type Keychain,
} from '../../../../electron/core/keychain/keychain';
import { MemoryKeychain } from '../../../../electron/core/keychain/memory-keychain';
import { describeKeychainContract } from './keychain-contract';

describeKeychainContract('MemoryKeychain', () => new MemoryKeychain());

/** Settles within a few microtask turns, or reports that it is still pending. */
async function stateOf(p: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  const pending = Symbol('pending');
  const tick = new Promise<typeof pending>((resolve) => setImmediate(() => resolve(pending)));
  return Promise.race([
    p.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    tick.then(() => 'pending' as const),
  ]);
}

describe('MemoryKeychain fault modes', () => {
  it('failWith makes every call reject with KeychainUnavailableError and the reason', async () => {
    const k = new MemoryKeychain();
    await k.setPassword('svc', 'alice', 'kept');
    k.failWith('The keychain is locked.');
    const calls = [
      k.getPassword('svc', 'alice'),
      k.setPassword('svc', 'alice', 'new'),
      k.deletePassword('svc', 'alice'),
      k.findCredentials('svc'),
    ];
    for (const call of calls) {
      const err = await call.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeychainUnavailableError);
      expect((err as KeychainUnavailableError).reason).toBe('The keychain is locked.');
    }
    k.failWith(null);
    expect(await k.getPassword('svc', 'alice')).toBe('kept');
  });

  it('hang makes calls never settle, and nothing is written meanwhile', async () => {
    const k = new MemoryKeychain();
    k.hang(true);
    expect(await stateOf(k.setPassword('svc', 'alice', 'secret'))).toBe('pending');
    expect(await stateOf(k.getPassword('svc', 'alice'))).toBe('pending');
    expect(await stateOf(k.deletePassword('svc', 'alice'))).toBe('pending');
    expect(await stateOf(k.findCredentials('svc'))).toBe('pending');
    k.hang(false);
    expect(await k.getPassword('svc', 'alice')).toBeNull();
  });

  it('hang wins over failWith', async () => {
    const k = new MemoryKeychain();
    k.failWith('broken');
    k.hang(true);
    expect(await stateOf(k.getPassword('svc', 'alice'))).toBe('pending');
    k.hang(false);
    await expect(k.getPassword('svc', 'alice')).rejects.toBeInstanceOf(KeychainUnavailableError);
  });
});

describe('probeKeychain', () => {
  it('reports available after a full write, read and delete, leaving nothing behind', async () => {
    const k = new MemoryKeychain();
    expect(await probeKeychain(k, 'svc')).toEqual({ available: true });
    expect(await k.findCredentials('svc')).toEqual([]);
  });

  it('reports unavailable with the reason when the write fails', async () => {
    const k = new MemoryKeychain();
    k.failWith('No Secret Service (such as GNOME Keyring or KWallet) is running.');
    expect(await probeKeychain(k, 'svc')).toEqual({
      available: false,
      reason: 'No Secret Service (such as GNOME Keyring or KWallet) is running.',
    });
  });

  it('reports unavailable when the read-back does not match (locked keyrings read as null)', async () => {
    const inner = new MemoryKeychain();
    const readsNull: Keychain = {
      getPassword: async () => null,
      setPassword: (s, a, p) => inner.setPassword(s, a, p),
      deletePassword: (s, a) => inner.deletePassword(s, a),
      findCredentials: (s) => inner.findCredentials(s),
    };
    const result = await probeKeychain(readsNull, 'svc');
    expect(result.available).toBe(false);
    expect(await inner.findCredentials('svc')).toEqual([]);
  });

  it('never leaks a foreign error text as the reason', async () => {
    const throwsRaw: Keychain = {
      getPassword: async () => null,
      setPassword: async () => {
        throw new Error('dbus: /org/freedesktop/secrets/collection/login secret=hunter2');
      },
      deletePassword: async () => false,
      findCredentials: async () => [],
    };
    const result = await probeKeychain(throwsRaw, 'svc');
    expect(result.available).toBe(false);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('probes an account that no username can take', () => {
    expect(PROBE_ACCOUNT).toMatch(/[^\w.@+-]/);
  });
});
