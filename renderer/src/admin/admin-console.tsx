import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelName, ResponseOf } from '../../../shared/contract';
import type { User } from '../../../shared/dto';
import type { Reply } from '../../../shared/errors';
import type { AccountsClient } from '../app/accounts-client';
import { visibleSections, type AdminSection } from './admin-access';
import { AdminContext, type AdminCall, type AdminEnv, type AdminRequest } from './admin-context';
import { useTr } from './admin-errors';
import { ensureAdminWords } from './admin-locales';
import { AuditView } from './audit-view';
import { GroupsView } from './groups-view';
import { SessionsView } from './sessions-view';
import { SudoDialog } from './sudo-dialog';
import { UsersView } from './users-view';
import './admin-console.css';

export interface AdminConsoleProps {
  client: AccountsClient;
  /** The active profile's session: every admin call is made as this profile. */
  sessionId: string;
  /** The active profile; its `permissions` decide which sections show. */
  user: User;
  /** Back to Home. */
  onClose?: () => void;
  /** First section to open (default: the first the profile may see). */
  initialSection?: AdminSection;
  sessionsPollMs?: number;
}

const SECTION_VIEWS: Record<AdminSection, () => ReactNode> = {
  users: () => <UsersView />,
  groups: () => <GroupsView />,
  sessions: () => <SessionsView />,
  audit: () => <AuditView />,
};

/**
 * The admin console: a left navigation over the sections this profile may see. Loaded
 * lazily (React.lazy) from Home and the switcher, so the sign-in bundle stays small.
 */
export function AdminConsole({ client, sessionId, user, onClose, initialSection, sessionsPollMs = 5000 }: AdminConsoleProps) {
  // The console's words came with this chunk: add them before the first t() below.
  ensureAdminWords(useTranslation().i18n);
  const t = useTr();
  const [permissions, setPermissions] = useState<readonly string[]>(user.permissions);
  useEffect(() => setPermissions(user.permissions), [user.permissions]);
  const sections = visibleSections(permissions);
  const [chosen, setChosen] = useState<AdminSection | undefined>(initialSection);
  const section = chosen ?? sections[0];
  const [sudo, setSudo] = useState<((confirmed: boolean) => void) | null>(null);
  const [sessionsVersion, setSessionsVersion] = useState(0);
  const pending = useRef<Promise<boolean> | null>(null);
  const [policy, setPolicy] = useState({ minLength: 12, maxLength: 4096 });
  useEffect(() => {
    let alive = true;
    void client.call('app:info', {}).then((r) => alive && r.ok && setPolicy(r.data.passwordPolicy));
    return () => {
      alive = false;
    };
  }, [client]);

  // One prompt at a time: calls that hit REAUTH_REQUIRED together share its answer.
  const askPassword = useCallback((): Promise<boolean> => {
    if (pending.current) return pending.current;
    const answer = new Promise<boolean>((resolve) => {
      setSudo(() => (confirmed: boolean) => {
        pending.current = null;
        setSudo(null);
        resolve(confirmed);
      });
    });
    pending.current = answer;
    return answer;
  }, []);

  const refreshPermissions = useCallback(async () => {
    const r = await client.call('auth:session', { sessionId });
    if (r.ok && r.data.user) setPermissions(r.data.user.permissions);
  }, [client, sessionId]);

  const call = useCallback(
    async <C extends ChannelName>(channel: C, payload: AdminRequest<C>): Promise<Reply<ResponseOf<C>>> => {
      const send = () => client.call(channel, { ...payload, sessionId } as never) as Promise<Reply<ResponseOf<C>>>;
      let reply = await send();
      // At most two prompts: a sudo window that lapses between the answer and the retry
      // asks once more rather than looping.
      for (let i = 0; i < 2 && !reply.ok && reply.error.code === 'REAUTH_REQUIRED'; i++) {
        if (!(await askPassword())) return reply;
        reply = await send();
      }
      if (!reply.ok && reply.error.code === 'PERMISSION_DENIED') void refreshPermissions();
      return reply;
    },
    [client, sessionId, askPassword, refreshPermissions],
  ) as AdminCall;

  const env = useMemo<AdminEnv>(
    () => ({
      client,
      sessionId,
      user: { ...user, permissions: [...permissions] },
      call,
      sessionsPollMs,
      sessionsVersion,
      sessionsChanged: () => setSessionsVersion((v) => v + 1),
      policy,
    }),
    [client, sessionId, user, permissions, call, sessionsPollMs, sessionsVersion, policy],
  );

  return (
    <AdminContext.Provider value={env}>
      <div className="admin">
        <nav className="admin-nav" aria-label={t('nav.label')}>
          <div className="admin-nav__inner">
            <h1 className="admin-nav__title">{t('title')}</h1>
            <ul className="admin-nav__list">
              {sections.map((s) => (
                <li key={s}>
                  <button
                    type="button"
                    className="admin-nav__item"
                    aria-current={s === section ? 'page' : undefined}
                    onClick={() => setChosen(s)}
                  >
                    {t(`nav.${s}`)}
                  </button>
                </li>
              ))}
            </ul>
            {onClose && (
              <button type="button" className="admin-button admin-nav__back" onClick={onClose}>
                {t('nav.back')}
              </button>
            )}
          </div>
        </nav>
        <section className="admin-main" aria-labelledby="admin-section-title">
          {section === undefined ? (
            <div className="admin-empty" role="status">
              <h2 id="admin-section-title">{t('noAccess.title')}</h2>
              <p>{t('noAccess.body')}</p>
            </div>
          ) : (
            SECTION_VIEWS[section]()
          )}
        </section>
      </div>
      {sudo && <SudoDialog client={client} sessionId={sessionId} onDone={sudo} />}
    </AdminContext.Provider>
  );
}
