import { describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../../../../electron/core/keychain/memory-keychain';
import { CreatedEntries } from './keychain-contract';

/** The contract suite's cleanup: only what a test created, and never a TypeError of its own. */
describe('keychain contract cleanup (CreatedEntries)', () => {
  it('has nothing to clean, and does not throw, when no test body ran (a beforeEach above failed)', async () => {
    await expect(new CreatedEntries().cleanUp(undefined)).resolves.toBeUndefined();
    await expect(new CreatedEntries().cleanUp(new MemoryKeychain())).resolves.toBeUndefined();
  });

  it('deletes exactly the entries it stored, once', async () => {
    const keychain = new MemoryKeychain();
    await keychain.setPassword('svc', 'kept', 'not ours');
    const created = new CreatedEntries();
    await created.set(keychain, 'svc', 'alice', 'a');
    await created.cleanUp(keychain);
    expect(await keychain.findCredentials('svc')).toEqual([{ account: 'kept', password: 'not ours' }]);
    await created.cleanUp(keychain); // forgotten after the first cleanup
  });

  it('does not record (so never deletes) an entry whose write failed', async () => {
    const keychain = new MemoryKeychain();
    const deleted: string[] = [];
    const failing = Object.assign(Object.create(keychain) as MemoryKeychain, {
      setPassword: () => Promise.reject(new Error('the keychain is locked')),
      deletePassword: (service: string, account: string) => {
        deleted.push(`${service}/${account}`);
        return keychain.deletePassword(service, account);
      },
    });
    const created = new CreatedEntries();
    await expect(created.set(failing, 'svc', 'alice', 'a')).rejects.toThrow('the keychain is locked');
    await created.cleanUp(failing);
    expect(deleted).toEqual([]);
  });
});
