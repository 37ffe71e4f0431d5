import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Keychain } from '../../../../electron/core/keychain/keychain';

/**
 * The one behaviour every Keychain implementation must show. Each test uses service names
 * with a random suffix (a real keychain is shared with every other run and app) and deletes
 * whatever it wrote, even when it fails.
 */
export function describeKeychainContract(name: string, make: () => Promise<Keychain> | Keychain): void {
  describe(`${name} (Keychain contract)`, () => {
    let keychain: Keychain;
    let written: [string, string][];

    const uniqueService = (label: string) => `local-accounts.test.${label}.${randomBytes(6).toString('hex')}`;
    const set = async (service: string, account: string, secret: string) => {
      written.push([service, account]);
      await keychain.setPassword(service, account, secret);
    };

    beforeEach(async () => {
      written = [];
      keychain = await make();
    });

    afterEach(async () => {
      const toDelete = written;
      written = [];
      for (const [service, account] of toDelete) await keychain.deletePassword(service, account);
    });

    it('answers null for an entry that was never stored', async () => {
      expect(await keychain.getPassword(uniqueService('missing'), 'nobody')).toBeNull();
    });

    it('returns what was stored', async () => {
      const service = uniqueService('roundtrip');
      await set(service, 'alice', 'token-1');
      expect(await keychain.getPassword(service, 'alice')).toBe('token-1');
    });

    it('overwrites an existing entry instead of adding a second one', async () => {
      const service = uniqueService('overwrite');
      await set(service, 'alice', 'old');
      await set(service, 'alice', 'new');
      expect(await keychain.getPassword(service, 'alice')).toBe('new');
      expect(await keychain.findCredentials(service)).toEqual([{ account: 'alice', password: 'new' }]);
    });

    it('deletes: true the first time, false once gone, and the entry reads as null', async () => {
      const service = uniqueService('delete');
      await set(service, 'alice', 'token');
      expect(await keychain.deletePassword(service, 'alice')).toBe(true);
      expect(await keychain.getPassword(service, 'alice')).toBeNull();
      expect(await keychain.deletePassword(service, 'alice')).toBe(false);
    });

    it("findCredentials lists that service's entries and no other's", async () => {
      const service = uniqueService('find');
      const other = uniqueService('find-other');
      await set(service, 'alice', 'a-secret');
      await set(service, 'bob', 'b-secret');
      await set(other, 'carol', 'c-secret');
      const found = await keychain.findCredentials(service);
      expect([...found].sort((x, y) => x.account.localeCompare(y.account))).toEqual([
        { account: 'alice', password: 'a-secret' },
        { account: 'bob', password: 'b-secret' },
      ]);
      expect(await keychain.findCredentials(uniqueService('find-empty'))).toEqual([]);
    });

    it('keeps unicode secrets and account names intact', async () => {
      const service = uniqueService('unicode');
      const secret = 'pässwörd 🔑 密码 \u{1F600} ﷽';
      await set(service, 'zoë', secret);
      expect(await keychain.getPassword(service, 'zoë')).toBe(secret);
      expect(await keychain.findCredentials(service)).toEqual([{ account: 'zoë', password: secret }]);
    });

    it('isolates services: the same account under another service is another entry', async () => {
      const first = uniqueService('iso-a');
      const second = uniqueService('iso-b');
      await set(first, 'alice', 'in-first');
      expect(await keychain.getPassword(second, 'alice')).toBeNull();
      await set(second, 'alice', 'in-second');
      expect(await keychain.deletePassword(second, 'alice')).toBe(true);
      expect(await keychain.getPassword(first, 'alice')).toBe('in-first');
    });

    it('isolates accounts within a service', async () => {
      const service = uniqueService('accounts');
      await set(service, 'alice', 'alice-secret');
      await set(service, 'bob', 'bob-secret');
      expect(await keychain.getPassword(service, 'alice')).toBe('alice-secret');
      expect(await keychain.getPassword(service, 'bob')).toBe('bob-secret');
      expect(await keychain.deletePassword(service, 'alice')).toBe(true);
      expect(await keychain.getPassword(service, 'bob')).toBe('bob-secret');
    });
  });
}
