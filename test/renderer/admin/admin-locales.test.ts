import { describe, expect, it } from 'vitest';
import { adminResources, ensureAdminWords } from '../../../renderer/src/admin/admin-locales';
import { createI18n } from '../../../renderer/src/i18n/i18n-setup';
import { APP_LANGUAGES, NAMESPACES, resources } from '../../../renderer/src/i18n/resources';

/*
 * The admin words are not in the sign-in bundle's resources: the console adds them (every
 * language at once, so a language switch inside the console keeps working) when its
 * chunk loads. The key-completeness test covers them through NAMESPACES.
 */
describe('admin words, added when the console loads', () => {
  it('are absent from a fresh instance and from the bundled resources', () => {
    const i18n = createI18n('zh-CN');
    for (const lang of APP_LANGUAGES) {
      expect(i18n.hasResourceBundle(lang, 'admin')).toBe(false);
      expect(Object.keys(resources[lang])).not.toContain('admin');
    }
    expect(NAMESPACES).toContain('admin');
  });

  it('are added for every language, idempotently, and follow a language switch', async () => {
    const i18n = createI18n('zh-CN');
    ensureAdminWords(i18n);
    ensureAdminWords(i18n);
    expect(i18n.t('nav.sessions', { ns: 'admin' })).toBe(adminResources['zh-CN'].nav.sessions);
    expect(i18n.t('nav.sessions', { ns: 'admin' })).toBe('会话');
    await i18n.changeLanguage('en');
    expect(i18n.t('nav.sessions', { ns: 'admin' })).toBe('Sessions');
    // The sign-in namespaces are untouched.
    expect(i18n.hasResourceBundle('en', 'auth')).toBe(true);
  });
});
