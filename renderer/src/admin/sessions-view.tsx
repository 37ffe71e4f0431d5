import { useEffect, useState } from 'react';
import type { AdminSessionInfo } from '../../../shared/dto';
import { can } from './admin-access';
import { useAdmin } from './admin-context';
import { errorWords, useTr } from './admin-errors';
import { Badge, EmptyState, LoadProblem, Pager, RelativeTime, SectionHeader, useFormatNumber } from './admin-parts';
import { useLatestList } from './use-latest-list';

const PAGE = 50;

/**
 * Every live session. Kept current two ways: this window's own session events
 * (session:ended / session:locked) re-read at once, and while the view is visible it
 * re-reads every `sessionsPollMs` (sessions in other windows send this window no event).
 */
export function SessionsView() {
  const t = useTr();
  const fmt = useFormatNumber();
  const { call, client, user, sessionsPollMs, sessionsVersion } = useAdmin();
  const [offset, setOffset] = useState(0);
  const [tick, setTick] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [notice, setNotice] = useState<string | null>(null);
  const list = useLatestList({ offset }, `${offset}:${tick}:${sessionsVersion}`, (p) => call('admin:sessions:list', { offset: p.offset, limit: PAGE }));

  useEffect(() => {
    const refresh = () => {
      setNow(Date.now());
      setTick((n) => n + 1);
    };
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, sessionsPollMs);
    const offEnded = client.on('session:ended', refresh);
    const offLocked = client.on('session:locked', refresh);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      clearInterval(timer);
      offEnded();
      offLocked();
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [client, sessionsPollMs]);

  const end = async (s: AdminSessionInfo) => {
    const r = await call('admin:sessions:revoke', { handle: s.handle });
    if (r.ok) {
      setNotice(t('sessions.ended', { name: s.username }));
      setTick((n) => n + 1);
    } else if (r.error.code !== 'REAUTH_REQUIRED') setNotice(errorWords(t, r.error));
  };

  const data = list.data;
  const mayEnd = can(user.permissions, 'endSession');
  return (
    <>
      <SectionHeader title={t('nav.sessions')}>
        <span className="admin-muted" aria-live="polite">
          {data ? t('sessions.total', { count: data.total, n: fmt(data.total) }) : ''}
        </span>
      </SectionHeader>
      <p className="admin-hint">{t('sessions.refreshHint', { seconds: Math.round(sessionsPollMs / 1000) })}</p>
      <p className="admin-notice" role="status">
        {notice}
      </p>
      {list.error ? (
        <LoadProblem error={list.error} what={t('what.sessions')} onRetry={list.reload} />
      ) : data?.total === 0 ? (
        <EmptyState title={t('sessions.empty')}>
          <p>{t('sessions.emptyHint')}</p>
        </EmptyState>
      ) : (
        <div className="admin-table-wrap" aria-busy={list.loading}>
          <table className="admin-table admin-table--fit">
            <caption className="admin-visually-hidden">{t('sessions.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sessions.user')}</th>
                <th scope="col">{t('sessions.window')}</th>
                <th scope="col">{t('sessions.signedIn')}</th>
                <th scope="col">{t('sessions.lastActive')}</th>
                <th scope="col">{t('sessions.idleExpiry')}</th>
                <th scope="col">{t('sessions.state')}</th>
                <th scope="col">
                  <span className="admin-visually-hidden">{t('col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data?.items.map((s) => (
                <tr key={s.handle}>
                  <td>
                    <span className="admin-stack">
                      <span className="admin-avatar" style={{ backgroundColor: s.avatarColor || undefined }} aria-hidden="true">
                        {(s.displayName || s.username).slice(0, 1).toUpperCase()}
                      </span>
                      <span>
                        <span className="admin-cell--strong">{s.username}</span>
                        {s.displayName && s.displayName !== s.username && (
                          <span className="admin-stack__sub">
                            <span className="admin-visually-hidden"> · </span>
                            {s.displayName}
                          </span>
                        )}
                      </span>
                    </span>
                  </td>
                  <td>
                    {/* A window can hold several profiles: the handle tells its sessions apart. */}
                    <span className="admin-nowrap">{t('sessions.windowNumber', { id: s.windowId })}</span>
                    <span className="admin-stack__sub">
                      <code className="admin-code" title={t('sessions.handleHint')}>
                        {s.handle.slice(0, 8)}
                      </code>
                      {s.current && (
                        <>
                          {' '}
                          <Badge tone="accent">{t('sessions.thisWindow')}</Badge>
                        </>
                      )}
                    </span>
                  </td>
                  <td>
                    <RelativeTime at={s.createdAt} now={now} />
                  </td>
                  <td>
                    <RelativeTime at={s.lastActivityAt} now={now} />
                  </td>
                  <td>
                    <RelativeTime at={s.idleExpiresAt} now={now} />
                  </td>
                  <td>{s.locked ? <Badge tone="warn">{t('sessions.locked')}</Badge> : <Badge tone="ok">{t('sessions.active')}</Badge>}</td>
                  <td className="admin-cell--actions">
                    {mayEnd && !s.current && (
                      <button
                        type="button"
                        className="admin-button admin-button--small admin-button--danger-quiet"
                        aria-label={t('sessions.endNamed', { name: s.username, handle: s.handle.slice(0, 8) })}
                        onClick={() => void end(s)}
                      >
                        {t('sessions.end')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > PAGE && <Pager offset={offset} limit={PAGE} total={data.total} onOffset={setOffset} />}
    </>
  );
}
