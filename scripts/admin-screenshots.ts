import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../preview/renderer-build';
import { E2E_PASSWORD, type E2E } from '../test/e2e/support/preview-harness';

/**
 * The admin console's part of `npm run screenshots`: users (with the row menu open),
 * the user dialog, groups, sessions and the audit log, saved as
 * docs/screenshots/admin-<view>-<theme>-<locale>.png. seedAdminWorld() gives the
 * screens something to show: a few dozen people, two groups, live sessions.
 */

type Locale = 'en' | 'zh-CN';
type Theme = 'light' | 'dark';

// Small window numbers, as a person would see them (the preview's own tabs count up from 1).
const SENDER = 46;

export const ADMIN_PEOPLE: Record<Locale, { username: string; displayName: string }> = {
  en: { username: 'ada', displayName: 'Ada Lovelace' },
  'zh-CN': { username: 'wei', displayName: '王伟' },
};

const NAMES = [
  ['grace', 'Grace Hopper'], ['alan', 'Alan Turing'], ['katherine', 'Katherine Johnson'], ['linus', 'Linus Pauling'],
  ['margaret', 'Margaret Hamilton'], ['edsger', 'Edsger Dijkstra'], ['barbara', 'Barbara Liskov'], ['donald', 'Donald Knuth'],
  ['frances', 'Frances Allen'], ['ken', 'Ken Thompson'], ['li', '李娜'], ['zhang', '张伟'], ['liu', '刘洋'], ['chen', '陈静'],
];

function t(locale: Locale, ns: string, key: string, vars: Record<string, string> = {}): string {
  const file = join(PROJECT_ROOT, 'renderer', 'src', 'i18n', 'locales', locale, `${ns}.json`);
  let node: unknown = JSON.parse(readFileSync(file, 'utf8'));
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`admin screenshots: no string ${locale}/${ns}:${key}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? '');
}

/** People, groups and sessions for the screens; call after h.seed() created the administrator `admin`. */
export async function seedAdminWorld(h: E2E, admin: string, password = E2E_PASSWORD): Promise<void> {
  const call = async (channel: string, payload: Record<string, unknown>, sender = SENDER) => {
    const r = await h.preview.core.dispatch(sender, channel, payload);
    // Someone the caller already seeded (same username) is fine.
    if (!r.ok && r.error.code === 'CONFLICT' && channel === 'admin:users:create') return {};
    if (!r.ok) throw new Error(`admin seed: ${channel}: ${r.error.code} ${r.error.message}`);
    return r.data as Record<string, unknown>;
  };
  const { sessionId } = (await call('auth:login', { username: admin, password })) as { sessionId: string };
  await call('admin:groups:create', { sessionId, name: 'Support', permissions: ['auth.view_user', 'sessions.view_session', 'audit.view_event'] });
  await call('admin:groups:create', { sessionId, name: 'Team leads', permissions: ['auth.view_user', 'auth.change_user', 'auth.view_group'] });
  for (const [i, [username, displayName]] of NAMES.entries()) {
    await call('admin:users:create', {
      sessionId,
      username,
      displayName,
      email: `${username}@example.com`,
      password,
      mustChangePassword: false,
      isActive: i !== 3,
      isStaff: i % 4 === 0,
      groups: i % 3 === 0 ? ['Support'] : i % 3 === 1 ? ['Team leads'] : [],
    });
  }
  // A few live sessions in other "windows"; one locked.
  for (const [k, username] of ['grace', 'alan', 'li'].entries()) {
    const s = (await call('auth:login', { username, password }, SENDER - 1 - k)) as { sessionId: string };
    if (k === 1) await call('auth:lock', { sessionId: s.sessionId }, SENDER - 1 - k);
  }
  await h.preview.core.dispatch(SENDER, 'auth:login', { username: 'ken', password: 'not the password' });
}

/** Signs in as the administrator of `locale` and shoots every admin view. */
export async function shootAdminViews(
  h: E2E,
  locale: Locale,
  theme: Theme,
  shoot: (page: Page, name: string) => Promise<void>,
): Promise<void> {
  const p = ADMIN_PEOPLE[locale];
  const suffix = `${theme}-${locale}`;
  const page = await h.openTab({ locale, colorScheme: theme, fakeClock: false });
  await page.getByRole('textbox', { name: t(locale, 'auth', 'login.identifier') }).fill(p.username);
  await page.getByLabel(t(locale, 'auth', 'login.password'), { exact: true }).fill(E2E_PASSWORD);
  await page.getByRole('button', { name: t(locale, 'auth', 'login.submit'), exact: true }).click();
  await page.getByRole('button', { name: t(locale, 'account', 'home.admin') }).click();
  const section = (key: string) => page.getByRole('navigation', { name: t(locale, 'admin', 'nav.label') }).getByRole('button', { name: t(locale, 'admin', `nav.${key}`) });

  await page.getByRole('row', { name: /grace/ }).waitFor();
  await shoot(page, `admin-users-${suffix}`);
  await page.getByRole('button', { name: t(locale, 'admin', 'users.actionsFor', { name: 'grace' }) }).click();
  await page.getByRole('menu').waitFor();
  await shoot(page, `admin-users-menu-${suffix}`);
  await page.getByRole('menuitem', { name: t(locale, 'admin', 'users.edit') }).click();
  await page.getByRole('dialog').waitFor();
  await shoot(page, `admin-user-dialog-${suffix}`);
  await page.keyboard.press('Escape');

  await section('groups').click();
  await page.getByRole('heading', { name: 'Support' }).waitFor();
  await shoot(page, `admin-groups-${suffix}`);

  await section('sessions').click();
  await page.getByRole('table').waitFor();
  await shoot(page, `admin-sessions-${suffix}`);

  await section('audit').click();
  await page.getByRole('table').waitFor();
  await shoot(page, `admin-audit-${suffix}`);
  await page.close();
}
