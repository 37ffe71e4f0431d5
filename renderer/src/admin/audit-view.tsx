import { useState } from 'react';
import type { AuditItem } from '../../../shared/dto';
import { useAdmin } from './admin-context';
import { useTr, type Tr } from './admin-errors';
import { EmptyState, LoadProblem, Pager, RelativeTime, SectionHeader, useFormatNumber } from './admin-parts';
import { AuditFilters, NO_FILTER, type AuditFilter } from './audit-filters';
import { useLatestList } from './use-latest-list';

const PAGE = 50;

/** The audit log, newest first, filtered by user, event type and time range; paged. */
export function AuditView() {
  const t = useTr();
  const fmt = useFormatNumber();
  const { call } = useAdmin();
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const [offset, setOffset] = useState(0);
  const [now] = useState(() => Date.now());
  const params = { ...filter, offset };
  const list = useLatestList(params, JSON.stringify(params), (p) =>
    call('admin:audit:list', {
      offset: p.offset,
      limit: PAGE,
      ...(p.type !== '' && { type: p.type }),
      ...(p.userId !== null && { userId: p.userId }),
      ...(p.since !== null && { since: p.since }),
      ...(p.until !== null && { until: p.until }),
    }),
  );
  const data = list.data;
  const filtered = JSON.stringify(filter) !== JSON.stringify(NO_FILTER);

  return (
    <>
      <SectionHeader title={t('nav.audit')}>
        <span className="admin-muted" aria-live="polite">
          {data ? t('audit.total', { count: data.total, n: fmt(data.total) }) : ''}
        </span>
      </SectionHeader>
      <AuditFilters
        value={filter}
        onChange={(f) => {
          setFilter(f);
          setOffset(0);
        }}
      />
      {list.error ? (
        <LoadProblem error={list.error} what={t('what.audit')} onRetry={list.reload} />
      ) : data?.total === 0 ? (
        <EmptyState title={filtered ? t('audit.noMatch') : t('audit.empty')}>
          <p>{filtered ? t('audit.noMatchHint') : t('audit.emptyHint')}</p>
        </EmptyState>
      ) : (
        <div className="admin-table-wrap" aria-busy={list.loading}>
          <table className="admin-table">
            <caption className="admin-visually-hidden">{t('audit.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.event')}</th>
                <th scope="col">{t('audit.user')}</th>
                <th scope="col">{t('audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {data?.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <RelativeTime at={e.at} now={now} />
                  </td>
                  <td>{t(`event.${e.type}`, { defaultValue: e.type })}</td>
                  <td>{e.username ?? <span className="admin-muted">{t('audit.noUser')}</span>}</td>
                  <td className="admin-cell--detail">{detailWords(t, e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > 0 && <Pager offset={offset} limit={PAGE} total={data.total} onOffset={setOffset} />}
    </>
  );
}

/**
 * The event's detail as "label: value" pairs in the profile's language (the log never
 * holds secrets; see the core). Session codes are shortened like the Sessions view's.
 */
function detailWords(t: Tr, e: AuditItem): string {
  if (!e.detail) return '';
  const value = (k: string, v: unknown): string => {
    if (typeof v === 'boolean') return t(v ? 'detail.yes' : 'detail.no');
    if (k === 'handle' && typeof v === 'string') return v.slice(0, 8);
    if ((k === 'by' || k === 'of' || k === 'groupId') && typeof v === 'number') return `#${v}`;
    if (Array.isArray(v)) return v.join(', ');
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  return Object.entries(e.detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${t(`detail.${k}`, { defaultValue: k })}: ${value(k, v)}`)
    .join(' · ');
}
