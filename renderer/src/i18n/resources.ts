import enAccount from './locales/en/account.json';
import enAdmin from './locales/en/admin.json';
import enAuth from './locales/en/auth.json';
import enCommon from './locales/en/common.json';
import enErrors from './locales/en/errors.json';
import zhAccount from './locales/zh-CN/account.json';
import zhAdmin from './locales/zh-CN/admin.json';
import zhAuth from './locales/zh-CN/auth.json';
import zhCommon from './locales/zh-CN/common.json';
import zhErrors from './locales/zh-CN/errors.json';

/**
 * Every namespace in every language. English is the reference: its shape types
 * `t()` keys (see i18n-types.ts), and test/renderer/i18n/locale-keys.test.ts
 * fails when a key exists in one language and not the other.
 */
export const resources = {
  en: { common: enCommon, errors: enErrors, auth: enAuth, account: enAccount, admin: enAdmin },
  'zh-CN': { common: zhCommon, errors: zhErrors, auth: zhAuth, account: zhAccount, admin: zhAdmin },
} as const;

export type AppLanguage = keyof typeof resources;
export const APP_LANGUAGES = Object.keys(resources) as AppLanguage[];
export const NAMESPACES = ['common', 'errors', 'auth', 'account', 'admin'] as const;
export type Namespace = (typeof NAMESPACES)[number];
