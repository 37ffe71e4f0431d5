import { useId, useState, type FormEvent } from 'react';
import { useAdmin } from './admin-context';
import { useTr } from './admin-errors';

/** The core's audit event types (electron/core/audit/audit-log.ts), for the filter. */
export const AUDIT_TYPES = [
  'login.success', 'login.failure', 'login.throttled', 'logout', 'session.ended', 'session.locked',
  'session.unlocked', 'password.changed', 'user.created', 'user.updated', 'user.deleted', 'group.created',
  'group.updated', 'group.deleted', 'setup', 'remembered.created', 'remembered.revoked', 'sessions.revoked',
  'throttle.reset',
] as const;

export interface AuditFilter {
  type: string;
  userId: number | null;
  username: string;
  since: number | null;
  until: number | null;
}

export const NO_FILTER: AuditFilter = { type: '', userId: null, username: '', since: null, until: null };

const RANGES = { any: 0, hour: 3600_000, day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000 } as const;
type Range = keyof typeof RANGES | 'custom';

/** "2026-12-03T10:00" (datetime-local, the person's time zone) -> epoch ms, or null. */
const parseLocal = (v: string) => (v === '' ? null : new Date(v).getTime());

/**
 * Filters: a username (resolved to the user's ID through admin:users:list, exact match),
 * an event type, and a time range (presets or from/to).
 */
export function AuditFilters({ value, onChange }: { value: AuditFilter; onChange: (f: AuditFilter) => void }) {
  const t = useTr();
  const { call, user } = useAdmin();
  const [username, setUsername] = useState(value.username);
  const [range, setRange] = useState<Range>('any');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { user: useId(), type: useId(), range: useId(), from: useId(), to: useId(), problem: useId() };
  const canLookUp = user.permissions.includes('auth.view_user');

  const timeBounds = (r: Range): Pick<AuditFilter, 'since' | 'until'> => {
    if (r === 'custom') return { since: parseLocal(from), until: parseLocal(to) };
    if (r === 'any') return { since: null, until: null };
    return { since: Date.now() - RANGES[r], until: null };
  };

  const apply = async (next: Partial<AuditFilter>, r: Range = range) => {
    setProblem(null);
    const bounds = timeBounds(r);
    if (bounds.since !== null && bounds.until !== null && bounds.since > bounds.until) {
      setProblem(t('audit.badRange'));
      return;
    }
    let userId = value.userId;
    const name = (next.username ?? username).trim();
    if (name !== value.username || next.username !== undefined) {
      userId = null;
      if (name !== '') {
        const r = await call('admin:users:list', { query: name, limit: 20 });
        const match = r.ok ? r.data.items.find((u) => u.username.toLowerCase() === name.toLowerCase()) : undefined;
        if (!match) {
          setProblem(t('audit.noSuchUser', { name }));
          return;
        }
        userId = match.id;
      }
    }
    onChange({ ...value, ...next, username: name, userId, ...bounds });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void apply({ username });
  };

  return (
    <form className="admin-filters" onSubmit={submit} aria-label={t('audit.filters')}>
      {canLookUp && (
        <div className="admin-field admin-field--inline">
          <label htmlFor={ids.user} className="admin-field__label">
            {t('audit.user')}
          </label>
          <input
            id={ids.user}
            className="admin-input"
            type="search"
            placeholder={t('audit.userPlaceholder')}
            value={username}
            aria-describedby={problem !== null ? ids.problem : undefined}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
      )}
      <div className="admin-field admin-field--inline">
        <label htmlFor={ids.type} className="admin-field__label">
          {t('audit.event')}
        </label>
        <select id={ids.type} className="admin-input" value={value.type} onChange={(e) => void apply({ type: e.target.value })}>
          <option value="">{t('audit.anyEvent')}</option>
          {AUDIT_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`event.${type}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="admin-field admin-field--inline">
        <label htmlFor={ids.range} className="admin-field__label">
          {t('audit.range')}
        </label>
        <select
          id={ids.range}
          className="admin-input"
          value={range}
          onChange={(e) => {
            const r = e.target.value as Range;
            setRange(r);
            if (r !== 'custom') void apply({}, r);
          }}
        >
          {(['any', 'hour', 'day', 'week', 'month', 'custom'] as const).map((r) => (
            <option key={r} value={r}>
              {t(`audit.ranges.${r}`)}
            </option>
          ))}
        </select>
      </div>
      {range === 'custom' && (
        <>
          <div className="admin-field admin-field--inline">
            <label htmlFor={ids.from} className="admin-field__label">
              {t('audit.from')}
            </label>
            <input id={ids.from} className="admin-input" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="admin-field admin-field--inline">
            <label htmlFor={ids.to} className="admin-field__label">
              {t('audit.to')}
            </label>
            <input id={ids.to} className="admin-input" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
        </>
      )}
      <div className="admin-filters__buttons">
        <button type="submit" className="admin-button admin-button--primary">
          {t('audit.apply')}
        </button>
        <button
          type="button"
          className="admin-button"
          onClick={() => {
            setUsername('');
            setRange('any');
            setFrom('');
            setTo('');
            setProblem(null);
            onChange(NO_FILTER);
          }}
        >
          {t('audit.clear')}
        </button>
      </div>
      {problem !== null && (
        <p id={ids.problem} className="admin-error admin-filters__problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
