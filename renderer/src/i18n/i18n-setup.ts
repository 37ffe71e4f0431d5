import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Prefs } from '../../../shared/dto';
import './i18n-types';
import { INITIAL_NAMESPACES, resources, type AppLanguage } from './resources';

/**
 * The language to show: the profile's own choice, else the OS / browser list
 * (`navigator.languages`), else English. Any Chinese variant maps to 简体中文,
 * the one Chinese we ship.
 */
export function resolveLanguage(
  choice: Prefs['locale'] | undefined,
  systemLanguages: readonly string[],
): AppLanguage {
  if (choice === 'en' || choice === 'zh-CN') return choice;
  for (const tag of systemLanguages) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function systemLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
}

/**
 * One i18next instance per app mount (no module-level instance), the sign-in
 * namespaces bundled; the admin console adds its own when its chunk loads.
 */
export function createI18n(language: AppLanguage = resolveLanguage('system', systemLanguages())): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    ns: [...INITIAL_NAMESPACES],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    react: { useSuspense: false },
  });
  return instance;
}
