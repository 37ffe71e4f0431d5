import { describe, expect, it } from 'vitest';
import { KeychainUnavailableError, probeKeychain, type Keychain } from '../../../../electron/core/keychain/keychain';
import { MemoryKeychain } from '../../../../electron/core/keychain/memory-keychain';
import { TimeoutKeychain } from '../../../../electron/core/keychain/timeout-keychain';
import { FakeTime } from '../../../support/fake-time';
import { describeKeychainContract } from './keychain-contract';

describeKeychainContract(
  'TimeoutKeychain over MemoryKeychain',
  () => new TimeoutKeychain(new MemoryKeychain(), { timeoutMs: 5_000, scheduler: new FakeTime() }),
);

/** Lets pending promise callbacks run (no real time passes). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(timeoutMs = 5_000) {
  const time = new FakeTime();
  const inner = new MemoryKeychain();
  const keychain = new TimeoutKeychain(inner, { timeoutMs, scheduler: time });
  return { time, inner, keychain };
}

describe('TimeoutKeychain', () => {
  it('rejects a hanging call with KeychainUnavailableError once timeoutMs has passed, not before', async () => {
    const { time, inner, keychain } = setup(5_000);
    inner.hang(true);
    let outcome: unknown = 'pending';
    const call = keychain.getPassword('svc', 'alice').then(
      () => 'resolved',
      (e: unknown) => e,
    );
    void call.then((o) => (outcome = o));
    time.advance(4_999);
    await flush();
    expect(outcome).toBe('pending');
    time.advance(1);
    const err = await call;
    expect(err).toBeInstanceOf(KeychainUnavailableError);
    expect((err as KeychainUnavailableError).reason).toBe('The keychain did not answer within 5 s.');
    expect(time.pending()).toBe(0);
  });

  it('times out every method', async () => {
    const { time, inner, keychain } = setup(1_500);
    inner.hang(true);
    const calls = [
      keychain.getPassword('svc', 'a'),
      keychain.setPassword('svc', 'a', 'x'),
      keychain.deletePassword('svc', 'a'),
      keychain.findCredentials('svc'),
    ].map((p) => p.catch((e: unknown) => e));
    expect(time.pending()).toBe(4);
    time.advance(1_500);
    for (const err of await Promise.all(calls)) {
      expect(err).toBeInstanceOf(KeychainUnavailableError);
      expect((err as KeychainUnavailableError).message).toBe('The keychain did not answer within 1.5 s.');
    }
    expect(time.pending()).toBe(0);
  });

  it('cancels the timer when a call answers in time', async () => {
    const { time, keychain } = setup();
    await keychain.setPassword('svc', 'alice', 'secret');
    expect(await keychain.getPassword('svc', 'alice')).toBe('secret');
    expect(time.pending()).toBe(0);
  });

  it('cancels the timer when a call fails in time, keeping the reason', async () => {
    const { time, inner, keychain } = setup();
    inner.failWith('The keychain is locked.');
    const err = await keychain.setPassword('svc', 'alice', 'secret').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeychainUnavailableError);
    expect((err as KeychainUnavailableError).reason).toBe('The keychain is locked.');
    expect(time.pending()).toBe(0);
  });

  it('wraps foreign errors (thrown or rejected) into KeychainUnavailableError without their text', async () => {
    const time = new FakeTime();
    const raw = new Error('zbus error: unix:path=/run/user/1000/bus');
    const broken: Keychain = {
      getPassword: () => {
        throw raw;
      },
      setPassword: async () => {
        throw raw;
      },
      deletePassword: async () => false,
      findCredentials: async () => [],
    };
    const keychain = new TimeoutKeychain(broken, { timeoutMs: 1_000, scheduler: time });
    for (const call of [keychain.getPassword('s', 'a'), keychain.setPassword('s', 'a', 'x')]) {
      const err = await call.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeychainUnavailableError);
      expect((err as KeychainUnavailableError).message).not.toContain('zbus');
      expect((err as KeychainUnavailableError).cause).toBe(raw);
    }
    expect(time.pending()).toBe(0);
  });

  it('ignores an answer that comes after the timeout', async () => {
    const time = new FakeTime();
    let answer: (v: string | null) => void = () => {};
    const slow: Keychain = {
      getPassword: () => new Promise((resolve) => (answer = resolve)),
      setPassword: async () => {},
      deletePassword: async () => false,
      findCredentials: async () => [],
    };
    const keychain = new TimeoutKeychain(slow, { timeoutMs: 1_000, scheduler: time });
    const call = keychain.getPassword('s', 'a').catch((e: unknown) => e);
    time.advance(1_000);
    answer('too-late');
    expect(await call).toBeInstanceOf(KeychainUnavailableError);
    expect(time.pending()).toBe(0);
  });

  it('makes probeKeychain report a hanging keychain as unavailable', async () => {
    const { time, inner, keychain } = setup(2_000);
    inner.hang(true);
    const result = probeKeychain(keychain, 'svc');
    time.advance(2_000);
    expect(await result).toEqual({ available: false, reason: 'The keychain did not answer within 2 s.' });
    expect(time.pending()).toBe(0);
  });

  it('refuses a timeout that is not a positive number', () => {
    const scheduler = new FakeTime();
    expect(() => new TimeoutKeychain(new MemoryKeychain(), { timeoutMs: 0, scheduler })).toThrow(RangeError);
    expect(() => new TimeoutKeychain(new MemoryKeychain(), { timeoutMs: Number.NaN, scheduler })).toThrow(RangeError);
  });
});
