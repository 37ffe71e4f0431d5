import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAdminWorld } from '../../scripts/admin-screenshots';
import { expectHome, signIn, visible } from './support/app-steps';
import { E2E_PASSWORD, startE2E, type E2E } from './support/preview-harness';

/**
 * axe-core on every admin view and dialog, in both themes: zero serious or critical
 * violations. A failure lists each rule with its help text and the offending nodes.
 */

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

let h: E2E;
beforeAll(async () => {
  h = await startE2E();
  await h.seed([{ username: 'ada', displayName: 'Ada Lovelace', isSuperuser: true, isStaff: true }]);
  await seedAdminWorld(h, 'ada');
});
afterAll(async () => {
  await h?.close();
});

describe.each(['light', 'dark'] as const)('admin accessibility, %s theme', (colorScheme) => {
  it('users, row menu, user dialog, set password, groups, group dialog, sessions, audit log and the sudo prompt', async () => {
    const page = await h.openTab({ colorScheme });
    const found: Record<string, string[]> = {};
    await signIn(page, 'ada', E2E_PASSWORD);
    await expectHome(page, 'Ada Lovelace');
    await page.getByRole('button', { name: 'Admin console' }).click();
    const nav = page.getByRole('navigation', { name: 'Admin sections' });

    await visible(page.getByRole('row', { name: /grace/ }));
    found.users = await seriousViolations(page);
    await page.getByRole('button', { name: 'Actions for grace' }).click();
    await visible(page.getByRole('menu'));
    found.rowMenu = await seriousViolations(page);
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    await visible(page.getByRole('dialog', { name: 'Edit grace' }));
    found.userDialog = await seriousViolations(page);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Actions for grace' }).click();
    await page.getByRole('menuitem', { name: 'Set password…' }).click();
    await visible(page.getByRole('dialog', { name: 'Set a password for grace' }));
    found.setPassword = await seriousViolations(page);
    await page.keyboard.press('Escape');

    await nav.getByRole('button', { name: 'Groups' }).click();
    await visible(page.getByRole('heading', { name: 'Support' }));
    found.groups = await seriousViolations(page);
    await page.getByRole('button', { name: 'New group' }).click();
    await visible(page.getByRole('dialog', { name: 'New group' }));
    found.groupDialog = await seriousViolations(page);
    await page.keyboard.press('Escape');

    await nav.getByRole('button', { name: 'Sessions' }).click();
    await visible(page.getByRole('cell', { name: /^grace\b/ }).first());
    found.sessions = await seriousViolations(page);

    await nav.getByRole('button', { name: 'Audit log' }).click();
    await visible(page.getByRole('table'));
    found.audit = await seriousViolations(page);

    // The sudo prompt: step past sudo mode, then try a change.
    await h.advance(6 * 60_000);
    await nav.getByRole('button', { name: 'Sessions' }).click();
    await page.getByRole('button', { name: /End session of grace/ }).first().click();
    await visible(page.getByRole('dialog', { name: 'Confirm your password to continue' }));
    found.sudo = await seriousViolations(page);
    await page.keyboard.press('Escape');

    expect(found).toEqual({
      users: [], rowMenu: [], userDialog: [], setPassword: [], groups: [], groupDialog: [], sessions: [], audit: [], sudo: [],
    });
    await page.close();
  });
});
