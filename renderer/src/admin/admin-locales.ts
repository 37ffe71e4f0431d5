import type { i18n } from 'i18next';
import enAdmin from '../i18n/locales/en/admin.json';
import zhAdmin from '../i18n/locales/zh-CN/admin.json';
import type { AppLanguage } from '../i18n/resources';

/**
 * The console's words (the `admin` namespace, every language). They live in the
 * console's lazily loaded chunk, not in the sign-in bundle: the console adds them to
 * the window's i18next instance when it first renders (`ensureAdminWords`).
 * test/renderer/i18n/locale-keys.test.ts checks them with the other namespaces.
 */
export const adminResources: Record<AppLanguage, typeof enAdmin> = { en: enAdmin, 'zh-CN': zhAdmin };

/** Idempotent: adds the `admin` bundle for every language the instance does not have yet. */
export function ensureAdminWords(instance: i18n): void {
  for (const [language, words] of Object.entries(adminResources)) {
    if (!instance.hasResourceBundle(language, 'admin')) instance.addResourceBundle(language, 'admin', words, true, true);
  }
}
