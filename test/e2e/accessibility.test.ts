import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseInSwitcher, expectHome, signIn, visible } from './support/app-steps';
import { E2E_PASSWORD, startE2E, type E2E } from './support/preview-harness';

/**
 * axe-core on every main screen, in both themes: zero serious or critical violations.
 * A failure lists each rule with its help text and the offending nodes.
 */

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.each(['light', 'dark'] as const)('accessibility, %s theme', (colorScheme) => {
  let h: E2E;
  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h.close();
  });

  it('setup, login, home, settings and lock have no serious or critical violations', async () => {
    const page = await h.openTab({ colorScheme });
    const found: Record<string, string[]> = {};

    await visible(page.getByRole('heading', { name: 'Create the administrator account' }));
    found.setup = await seriousViolations(page);

    await h.seed([{ username: 'ada', displayName: 'Ada Lovelace' }]);
    await page.reload();
    await visible(page.getByRole('button', { name: 'Sign in', exact: true }));
    found.login = await seriousViolations(page);

    await signIn(page, 'ada', E2E_PASSWORD);
    await expectHome(page, 'Ada Lovelace');
    found.home = await seriousViolations(page);

    await page.getByRole('link', { name: 'Account settings' }).or(page.getByRole('button', { name: 'Account settings' })).first().click();
    await visible(page.getByRole('heading', { name: 'Account settings' }));
    found.settings = await seriousViolations(page);
    await page.getByRole('tab', { name: 'Security' }).click();
    found.settingsSecurity = await seriousViolations(page);

    await chooseInSwitcher(page, 'Lock');
    await visible(page.getByRole('heading', { name: 'Ada Lovelace is locked' }));
    found.lock = await seriousViolations(page);

    expect(found).toEqual({ setup: [], login: [], home: [], settings: [], settingsSecurity: [], lock: [] });
  });
});
