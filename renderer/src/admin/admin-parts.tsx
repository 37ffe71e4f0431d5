import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorBody } from '../../../shared/errors';
import { errorWords, useTr } from './admin-errors';

/** Formats a count in the profile's language ("10,000"). */
export function useFormatNumber(): (n: number) => string {
  const { i18n } = useTranslation();
  return (n: number) => n.toLocaleString(i18n.language);
}

/** "1–50 of 10,000" and Previous / Next. */
export function Pager({
  offset,
  limit,
  total,
  onOffset,
}: {
  offset: number;
  limit: number;
  total: number;
  onOffset: (offset: number) => void;
}) {
  const t = useTr();
  const { i18n } = useTranslation();
  const fmt = (n: number) => n.toLocaleString(i18n.language);
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="admin-pager" aria-label={t('pager.label')}>
      <span className="admin-pager__range" aria-live="polite">
        {t('pager.range', { first: fmt(first), last: fmt(last), total: fmt(total), count: total })}
      </span>
      <button type="button" className="admin-button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        {t('pager.previous')}
      </button>
      <button type="button" className="admin-button" disabled={last >= total} onClick={() => onOffset(offset + limit)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

export function relativeWords(at: number, now: number, language: string): string {
  const diff = at - now;
  const fmt = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') return fmt.format(Math.round(diff / ms), unit);
  }
  return fmt.format(0, 'second');
}

export function absoluteWords(at: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' }).format(at);
}

/**
 * A time in relative words ("5 minutes ago"); the absolute time shows on hover and on
 * keyboard focus (the element is focusable and its tip is CSS, not a title-only tooltip).
 */
export function RelativeTime({ at, now }: { at: number | null; now: number }) {
  const t = useTr();
  const { i18n } = useTranslation();
  if (at === null) return <span className="admin-muted">{t('never')}</span>;
  const absolute = absoluteWords(at, i18n.language);
  return (
    <time className="admin-time" dateTime={new Date(at).toISOString()} tabIndex={0} title={absolute} data-absolute={absolute}>
      {relativeWords(at, now, i18n.language)}
      <span className="admin-visually-hidden">{` (${absolute})`}</span>
    </time>
  );
}

/** A list that could not be read: the refusal in words, never a blank table. */
export function LoadProblem({ error, what, onRetry }: { error: ErrorBody; what: string; onRetry: () => void }) {
  const t = useTr();
  const denied = error.code === 'PERMISSION_DENIED';
  return (
    <div className="admin-problem" role="alert">
      <p className="admin-problem__title">{denied ? t('denied.title', { what }) : t('loadFailed', { what })}</p>
      <p>{denied ? t('denied.body') : errorWords(t, error)}</p>
      {!denied && (
        <button type="button" className="admin-button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="admin-empty" role="status">
      <p className="admin-empty__title">{title}</p>
      {children}
    </div>
  );
}

export function SectionHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="admin-section-header">
      <h2 id="admin-section-title" className="admin-section-header__title">
        {title}
      </h2>
      <div className="admin-section-header__actions">{children}</div>
    </header>
  );
}

export function Badge({ tone, children }: { tone: 'ok' | 'off' | 'accent' | 'warn'; children: ReactNode }) {
  return <span className={`admin-badge admin-badge--${tone}`}>{children}</span>;
}
