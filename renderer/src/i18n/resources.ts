import enAccount from './locales/en/account.json';
import type enAdmin from './locales/en/admin.json';
import enAuth from './locales/en/auth.json';
import enCommon from './locales/en/common.json';
import enErrors from './locales/en/errors.json';
import zhAccount from './locales/zh-CN/account.json';
import zhAuth from './locales/zh-CN/auth.json';
import zhCommon from './locales/zh-CN/common.json';
import zhErrors from './locales/zh-CN/errors.json';

/**
 * The namespaces the sign-in bundle carries, in every language. English is the
 * reference: its shape types `t()` keys (see i18n-types.ts), and
 * test/renderer/i18n/locale-keys.test.ts fails when a key exists in one language and
 * not the other. The admin console's words (`admin`) are not here: they load with the
 * console's chunk (renderer/src/admin/admin-locales.ts).
 */
export const resources = {
  en: { common: enCommon, errors: enErrors, auth: enAuth, account: enAccount },
  'zh-CN': { common: zhCommon, errors: zhErrors, auth: zhAuth, account: zhAccount },
} as const;

/** Every namespace's shape, the lazily added ones included (types only). */
export type AllResources = (typeof resources)['en'] & { admin: typeof enAdmin };

export type AppLanguage = keyof typeof resources;
export const APP_LANGUAGES = Object.keys(resources) as AppLanguage[];
/** Loaded at start. */
export const INITIAL_NAMESPACES = ['common', 'errors', 'auth', 'account'] as const;
/** Every namespace, `admin` (added when the console loads) included. */
export const NAMESPACES = [...INITIAL_NAMESPACES, 'admin'] as const;
export type Namespace = (typeof NAMESPACES)[number];
