import { afterEach, describe, expect, it } from 'vitest';
import { expectHome, expectLoginForm, signIn, visible } from './support/app-steps';
import { E2E_PASSWORD, startE2E, type E2E } from './support/preview-harness';

let h: E2E | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * Uses the real OS keychain (the Secret Service): run under scripts/with-keyring.sh,
 * as CI does (`bash scripts/with-keyring.sh npm test`). Without one, app:info says
 * the keychain is unavailable and the first assertion says so.
 */
describe('stay signed in on this computer', () => {
  it('survives a server restart as a one-click tile, then "Forget" removes it', async () => {
    h = await startE2E({ keychain: 'os' });
    const info = await h.preview.core.dispatch(1_000_000, 'app:info', {});
    expect(info, 'needs a Secret Service: run under scripts/with-keyring.sh').toMatchObject({
      ok: true,
      data: { keychain: { available: true } },
    });
    // A unique name: the keyring outlives the data folder within one with-keyring run.
    const username = `ada${Date.now().toString(36)}`;
    await h.seed([{ username, displayName: 'Ada Lovelace' }]);
    const first = await h.openTab();
    await signIn(first, username, E2E_PASSWORD, { remember: true });
    await expectHome(first, 'Ada Lovelace');

    await h.restart();
    const page = await h.openTab();
    const tile = await visible(page.getByRole('button', { name: 'Sign in as Ada Lovelace' }));
    await tile.click();
    await expectHome(page, 'Ada Lovelace');
    const [sender] = h.preview.senders().slice(-1) as [number];
    expect(h.preview.core.profilesOf(sender)).toHaveLength(1);

    // A reload ends the tab's session (a new sender); the profile stays remembered.
    await page.reload();
    await page.getByRole('button', { name: 'Forget Ada Lovelace on this computer' }).click();
    const dialog = await visible(page.getByRole('dialog').or(page.getByRole('alertdialog')));
    await dialog.getByRole('button', { name: 'Forget Ada Lovelace' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Sign in as Ada Lovelace' }).count()).toBe(0);
    await expectLoginForm(page);
    const list = await h.preview.core.dispatch(1_000_000, 'profiles:list', {});
    expect(list).toMatchObject({ ok: true, data: { total: 0 } });
  });
});
