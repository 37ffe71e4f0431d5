import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../components/confirm-dialog';
import { useApp } from './app-context';

/** Log out of a remembered profile: offers "Also forget this computer" (off by default). */
export function LogoutDialog() {
  const { t } = useTranslation();
  const { controller, state } = useApp();
  const [forget, setForget] = useState(false);
  const profile = state.profiles.find((p) => p.username === state.pendingLogout) ?? null;
  const name = profile?.user.displayName ?? '';
  return (
    <ConfirmDialog
      open={profile !== null}
      onOpenChange={(open) => {
        if (!open) {
          controller.store.setPendingLogout(null);
          setForget(false);
        }
      }}
      title={t('logout.title', { name })}
      body={t('logout.body')}
      confirmLabel={t('logout.confirm')}
      onConfirm={() => {
        const username = profile?.username;
        const alsoForget = forget;
        controller.store.setPendingLogout(null);
        setForget(false);
        if (username) void controller.logout(username, alsoForget);
      }}
    >
      <div className="check check--dialog">
        <input id="logout-forget" type="checkbox" checked={forget} onChange={(e) => setForget(e.target.checked)} />
        <label htmlFor="logout-forget">{t('logout.alsoForget')}</label>
      </div>
    </ConfirmDialog>
  );
}
