import { useId, useMemo, useState } from 'react';
import type { Permission } from '../../../shared/dto';
import { useTr } from './admin-errors';

interface PermissionPickerProps {
  legend: string;
  permissions: readonly Permission[];
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  disabled?: boolean;
  /** A line under the legend saying what these permissions are. */
  hint?: string;
}

/** 'auth.add_user' -> 'auth'. */
const areaOf = (codename: string) => codename.slice(0, Math.max(0, codename.indexOf('.'))) || codename;

/**
 * Permissions grouped by area (the app_label), with a search over names and codes and a
 * per-area "select all". Checkboxes, so it works with the keyboard and screen readers.
 */
export function PermissionPicker({ legend, permissions, selected, onChange, disabled, hint }: PermissionPickerProps) {
  const t = useTr();
  const [filter, setFilter] = useState('');
  const searchId = useId();
  const areas = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const byArea = new Map<string, Permission[]>();
    for (const p of permissions) {
      const words = `${p.name} ${p.codename} ${t(`area.${areaOf(p.codename)}`, { defaultValue: areaOf(p.codename) })}`.toLowerCase();
      if (needle && !words.includes(needle)) continue;
      const list = byArea.get(areaOf(p.codename)) ?? [];
      list.push(p);
      byArea.set(areaOf(p.codename), list);
    }
    return [...byArea.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [permissions, filter, t]);

  const toggle = (codename: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(codename);
    else next.delete(codename);
    onChange(next);
  };
  const setArea = (items: Permission[], on: boolean) => {
    const next = new Set(selected);
    for (const p of items) {
      if (on) next.add(p.codename);
      else next.delete(p.codename);
    }
    onChange(next);
  };

  return (
    <fieldset className="admin-picker" disabled={disabled}>
      <legend className="admin-field__label">
        {legend} <span className="admin-muted">{t('picker.count', { count: selected.size })}</span>
      </legend>
      {hint !== undefined && <p className="admin-hint admin-hint--legend">{hint}</p>}
      <label htmlFor={searchId} className="admin-visually-hidden">
        {t('picker.search', { what: legend })}
      </label>
      <input
        id={searchId}
        className="admin-input admin-picker__search"
        type="search"
        placeholder={t('picker.searchPlaceholder')}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <div className="admin-picker__areas">
        {areas.length === 0 && <p className="admin-muted">{t('picker.none')}</p>}
        {areas.map(([area, items]) => {
          const all = items.every((p) => selected.has(p.codename));
          return (
            <div key={area} className="admin-picker__area" role="group" aria-label={t(`area.${area}`, { defaultValue: area })}>
              <div className="admin-picker__area-head">
                <span className="admin-picker__area-name">{t(`area.${area}`, { defaultValue: area })}</span>
                <button type="button" className="admin-link" onClick={() => setArea(items, !all)}>
                  {all ? t('picker.clearArea') : t('picker.selectArea')}
                </button>
              </div>
              {items.map((p) => (
                <label key={p.codename} className="admin-check">
                  <input type="checkbox" checked={selected.has(p.codename)} onChange={(e) => toggle(p.codename, e.target.checked)} />
                  <span>{t(`perm.${p.codename.replace('.', '_')}`, { defaultValue: p.name })}</span>
                  <code className="admin-muted admin-code">{p.codename}</code>
                </label>
              ))}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
