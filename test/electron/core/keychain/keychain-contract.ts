import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Keychain } from '../../../../electron/core/keychain/keychain';

/**
 * The entries a test created, so cleanup deletes exactly those. Made when the suite is
 * declared (never undefined, even when a beforeEach above it failed or skipped and
 * afterEach runs anyway), and an entry is recorded only once setPassword succeeded:
 * a failed write leaves nothing to delete, and deleting it would only add a second,
 * misleading error after the real one.
 */
export class CreatedEntries {
  private entries: [string, string][] = [];

  /** Stores through `keychain` and records the entry only if that worked. */
  async set(keychain: Keychain, service: string, account: string, secret: string): Promise<void> {
    await keychain.setPassword(service, account, secret);
    this.entries.push([service, account]);
  }

  /** Deletes what was recorded (nothing when no keychain was made), then forgets it. */
  async cleanUp(keychain: Keychain | undefined): Promise<void> {
    const created = this.entries;
    this.entries = [];
    if (!keychain) return;
    for (const [service, account] of created) await keychain.deletePassword(service, account);
  }
}

/**
 * The one behaviour every Keychain implementation must show. Each test uses service names
 * with a random suffix (a real keychain is shared with every other run and app) and deletes
 * whatever it wrote, even when it fails.
 */
export function describeKeychainContract(name: string, make: () => Promise<Keychain> | Keychain): void {
  describe(`${name} (Keychain contract)`, () => {
    let keychain: Keychain | undefined;
    const created = new CreatedEntries();

    const uniqueService = (label: string) => `local-accounts.test.${label}.${randomBytes(6).toString('hex')}`;
    const current = (): Keychain => {
      if (!keychain) throw new Error('no keychain was made for this test');
      return keychain;
    };
    const set = (service: string, account: string, secret: string) => created.set(current(), service, account, secret);

    beforeEach(async () => {
      keychain = undefined;
      keychain = await make();
    });

    afterEach(async () => {
      await created.cleanUp(keychain);
    });

    it('answers null for an entry that was never stored', async () => {
      expect(await current().getPassword(uniqueService('missing'), 'nobody')).toBeNull();
    });

    it('returns what was stored', async () => {
      const service = uniqueService('roundtrip');
      await set(service, 'alice', 'token-1');
      expect(await current().getPassword(service, 'alice')).toBe('token-1');
    });

    it('overwrites an existing entry instead of adding a second one', async () => {
      const service = uniqueService('overwrite');
      await set(service, 'alice', 'old');
      await set(service, 'alice', 'new');
      expect(await current().getPassword(service, 'alice')).toBe('new');
      expect(await current().findCredentials(service)).toEqual([{ account: 'alice', password: 'new' }]);
    });

    it('deletes: true the first time, false once gone, and the entry reads as null', async () => {
      const service = uniqueService('delete');
      await set(service, 'alice', 'token');
      expect(await current().deletePassword(service, 'alice')).toBe(true);
      expect(await current().getPassword(service, 'alice')).toBeNull();
      expect(await current().deletePassword(service, 'alice')).toBe(false);
    });

    it("findCredentials lists that service's entries and no other's", async () => {
      const service = uniqueService('find');
      const other = uniqueService('find-other');
      await set(service, 'alice', 'a-secret');
      await set(service, 'bob', 'b-secret');
      await set(other, 'carol', 'c-secret');
      const found = await current().findCredentials(service);
      expect([...found].sort((x, y) => x.account.localeCompare(y.account))).toEqual([
        { account: 'alice', password: 'a-secret' },
        { account: 'bob', password: 'b-secret' },
      ]);
      expect(await current().findCredentials(uniqueService('find-empty'))).toEqual([]);
    });

    it('keeps unicode secrets and account names intact', async () => {
      const service = uniqueService('unicode');
      const secret = 'pässwörd 🔑 密码 \u{1F600} ﷽';
      await set(service, 'zoë', secret);
      expect(await current().getPassword(service, 'zoë')).toBe(secret);
      expect(await current().findCredentials(service)).toEqual([{ account: 'zoë', password: secret }]);
    });

    it('isolates services: the same account under another service is another entry', async () => {
      const first = uniqueService('iso-a');
      const second = uniqueService('iso-b');
      await set(first, 'alice', 'in-first');
      expect(await current().getPassword(second, 'alice')).toBeNull();
      await set(second, 'alice', 'in-second');
      expect(await current().deletePassword(second, 'alice')).toBe(true);
      expect(await current().getPassword(first, 'alice')).toBe('in-first');
    });

    it('isolates accounts within a service', async () => {
      const service = uniqueService('accounts');
      await set(service, 'alice', 'alice-secret');
      await set(service, 'bob', 'bob-secret');
      expect(await current().getPassword(service, 'alice')).toBe('alice-secret');
      expect(await current().getPassword(service, 'bob')).toBe('bob-secret');
      expect(await current().deletePassword(service, 'alice')).toBe(true);
      expect(await current().getPassword(service, 'bob')).toBe('bob-secret');
    });
  });
}
