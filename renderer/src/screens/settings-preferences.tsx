import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Prefs } from '../../../shared/dto';
import { useApp, useProfile } from '../app/app-context';

/** Theme and language, stored per profile (prefs:set) and applied at once. */
export function PreferencesTab() {
  const { t } = useTranslation('account');
  const { controller } = useApp();
  const { profile, call } = useProfile();
  const prefs: Prefs = profile.prefs ?? { theme: 'system', locale: 'system' };

  async function save(change: Partial<Prefs>) {
    // Optimistic: the window changes at once; the core's answer is what stays.
    controller.store.setPrefs(profile.username, { ...prefs, ...change });
    const reply = await call('prefs:set', change);
    if (reply.ok) controller.store.setPrefs(profile.username, reply.data);
    else controller.store.setPrefs(profile.username, prefs);
  }

  return (
    <div className="form form--panel">
      <RadioGroup
        legend={t('settings.preferences.theme')}
        value={prefs.theme}
        options={[
          ['system', t('settings.preferences.themeSystem')],
          ['light', t('settings.preferences.themeLight')],
          ['dark', t('settings.preferences.themeDark')],
        ]}
        onChange={(theme) => void save({ theme })}
      />
      <RadioGroup
        legend={t('settings.preferences.language')}
        value={prefs.locale}
        options={[
          ['system', t('settings.preferences.languageSystem')],
          ['en', t('settings.preferences.languageEn')],
          ['zh-CN', t('settings.preferences.languageZh')],
        ]}
        onChange={(locale) => void save({ locale })}
      />
    </div>
  );
}

function RadioGroup<V extends string>(props: { legend: string; value: V; options: [V, string][]; onChange: (v: V) => void }) {
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend className="field__label">{props.legend}</legend>
      <div className="segmented__options">
        {props.options.map(([value, label]) => (
          <label key={value} className={value === props.value ? 'segmented__option segmented__option--on' : 'segmented__option'}>
            <input type="radio" name={name} value={value} checked={value === props.value} onChange={() => props.onChange(value)} />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
