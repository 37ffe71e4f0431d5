import { afterEach, describe, expect, it } from 'vitest';
import { expectHome, expectLoginForm, passwordField, signIn, visible } from './support/app-steps';
import { E2E_OTHER_PASSWORD, E2E_PASSWORD, startE2E, type E2E } from './support/preview-harness';

let h: E2E | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('two windows of the same user', () => {
  it("a password change in tab A ends the user's session in tab B, which says why", async () => {
    h = await startE2E();
    await h.seed([{ username: 'ada', displayName: 'Ada Lovelace' }]);
    const a = await h.openTab();
    const b = await h.openTab();
    await signIn(a, 'ada', E2E_PASSWORD);
    await expectHome(a, 'Ada Lovelace');
    await signIn(b, 'ada', E2E_PASSWORD);
    await expectHome(b, 'Ada Lovelace');

    await a.getByRole('link', { name: 'Account settings' }).or(a.getByRole('button', { name: 'Account settings' })).first().click();
    await a.getByRole('tab', { name: 'Security' }).click();
    await passwordField(a, 'Current password').fill(E2E_PASSWORD);
    await passwordField(a, 'New password').fill(E2E_OTHER_PASSWORD);
    await passwordField(a, 'Confirm new password').fill(E2E_OTHER_PASSWORD);
    await a.getByRole('button', { name: 'Change password', exact: true }).click();
    await visible(a.getByText('Your password was changed. Your other sessions were signed out.'));

    // Tab B learns it from the session:ended event, with no click of its own.
    await visible(b.getByText(/Ada Lovelace's password was changed in another window/));
    await expectLoginForm(b);
    // Tab A is still signed in, on its new session.
    const [senderA, senderB] = h.preview.senders() as [number, number];
    expect(h.preview.core.profilesOf(senderA)).toHaveLength(1);
    expect(h.preview.core.profilesOf(senderB)).toHaveLength(0);
    // And B signs in with the new password.
    await signIn(b, 'ada', E2E_OTHER_PASSWORD);
    await expectHome(b, 'Ada Lovelace');
  });
});
