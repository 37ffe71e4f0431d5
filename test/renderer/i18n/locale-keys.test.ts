import { describe, expect, it } from 'vitest';
import { ERROR_CODES, PASSWORD_POLICY_REASONS } from '../../../shared/errors';
import { adminResources } from '../../../renderer/src/admin/admin-locales';
import { APP_LANGUAGES, NAMESPACES, resources as initial } from '../../../renderer/src/i18n/resources';
import { resolveLanguage } from '../../../renderer/src/i18n/i18n-setup';

/** Every leaf key of a resource tree, as 'a.b.c'. */
function leafKeys(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

function leaves(tree: unknown, prefix = ''): [string, unknown][] {
  if (typeof tree !== 'object' || tree === null) return [[prefix, tree]];
  return Object.entries(tree).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Every namespace: the sign-in bundle's and the admin console's (added when its chunk loads). */
const resources = {
  en: { ...initial.en, admin: adminResources.en },
  'zh-CN': { ...initial['zh-CN'], admin: adminResources['zh-CN'] },
};

const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * English keys as `lang` needs them: a plural group (`x_one`, `x_other`) becomes the
 * forms i18next looks up in that language (Intl.PluralRules: 简体中文 has only `x_other`).
 */
function pluralKeysFor(lang: string, enKeys: string[]): string[] {
  const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  const bases = new Set(enKeys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
  return [...enKeys.filter((k) => !PLURAL.test(k)), ...[...bases].flatMap((b) => forms.map((f) => `${b}_${f}`))];
}

const END_REASONS = ['logout', 'idle', 'absolute', 'replaced', 'revoked', 'password-changed', 'deactivated', 'deleted', 'window-closed', 'restart'];
const LOCK_REASONS = ['manual', 'idle', 'lock-all', 'suspend', 'screen-lock'];

describe('locales', () => {
  it.each(NAMESPACES)('namespace %s has exactly the same keys in every language (plural keys: the language\'s own forms)', (ns) => {
    for (const lang of APP_LANGUAGES) {
      const en = pluralKeysFor(lang, leafKeys(resources.en[ns])).sort();
      const keys = leafKeys(resources[lang][ns]).sort();
      expect({ lang, missing: en.filter((k) => !keys.includes(k)) }).toEqual({ lang, missing: [] });
      // A form the language never uses (a Chinese `x_one`) is dead but harmless, as long as
      // it belongs to an English plural group.
      const groups = new Set(leafKeys(resources.en[ns]).filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
      const extra = keys.filter((k) => !en.includes(k) && !(PLURAL.test(k) && groups.has(k.replace(PLURAL, ''))));
      expect({ lang, extra }).toEqual({ lang, extra: [] });
    }
  });

  it('has no empty strings and the same {{placeholders}} in every language', () => {
    for (const ns of NAMESPACES) {
      const en = new Map(leaves(resources.en[ns]));
      for (const lang of APP_LANGUAGES) {
        for (const [key, value] of leaves(resources[lang][ns])) {
          expect(typeof value === 'string' && value.trim().length > 0, `${lang}/${ns}:${key}`).toBe(true);
          const vars = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
          expect(vars(value), `${lang}/${ns}:${key}`).toEqual(vars(en.get(key)));
        }
      }
    }
  });

  it('has a sentence for every error code, end reason, lock reason and policy reason', () => {
    for (const lang of APP_LANGUAGES) {
      const r = resources[lang];
      for (const code of ERROR_CODES) expect(r.errors[code], `${lang} ${code}`).toBeTruthy();
      for (const reason of END_REASONS) {
        expect(r.common.ended[reason as keyof typeof r.common.ended], `${lang} ended.${reason}`).toBeTruthy();
        expect(r.common.endedShort[reason as keyof typeof r.common.endedShort], `${lang} endedShort.${reason}`).toBeTruthy();
      }
      for (const reason of LOCK_REASONS) expect(r.common.locked[reason as keyof typeof r.common.locked], `${lang} locked.${reason}`).toBeTruthy();
      for (const reason of PASSWORD_POLICY_REASONS) expect(r.auth.reasons[reason], `${lang} reasons.${reason}`).toBeTruthy();
    }
  });

  it('follows the OS language unless the profile chose one', () => {
    expect(resolveLanguage('system', ['zh-TW', 'en'])).toBe('zh-CN');
    expect(resolveLanguage('system', ['de-DE', 'en-GB'])).toBe('en');
    expect(resolveLanguage('system', ['fr'])).toBe('en');
    expect(resolveLanguage('en', ['zh-CN'])).toBe('en');
    expect(resolveLanguage('zh-CN', ['en-US'])).toBe('zh-CN');
  });
});
