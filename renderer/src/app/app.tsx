import { useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { AppInfo } from '../../../shared/dto';
import { createI18n } from '../i18n/i18n-setup';
import type { AccountsClient } from './accounts-client';
import { AppController } from './app-controller';
import { AppProvider } from './app-context';
import { WindowFrame } from './window-frame';

export interface AppProps {
  client: AccountsClient;
  /** Injected for tests (fake clock for notices); defaults to Date.now. */
  now?: () => number;
  /** Injected for tests: which input events count as a person's (default: isTrusted). */
  isTrustedInput?: (e: Event) => boolean;
}

/** The root: one controller (store + bridge) and one i18n instance per window. */
export function App({ client, now, isTrustedInput }: AppProps) {
  const controller = useMemo(() => new AppController(client, now, isTrustedInput), [client, now, isTrustedInput]);
  const i18n = useMemo(() => createI18n(), []);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => controller.start(), [controller]);
  useEffect(() => {
    let cancelled = false;
    void controller.info().then((reply) => {
      if (cancelled) return;
      if (reply.ok) setInfo(reply.data);
      else setFailed(true);
    });
    return () => {
      cancelled = true;
    };
  }, [controller]);

  return (
    <I18nextProvider i18n={i18n}>
      {info ? (
        <AppProvider controller={controller} info={info}>
          <WindowFrame onSetupDone={() => setInfo({ ...info, setupRequired: false })} />
        </AppProvider>
      ) : (
        <BootScreen failed={failed} />
      )}
    </I18nextProvider>
  );
}

function BootScreen({ failed }: { failed: boolean }) {
  const { t } = useTranslation('errors');
  return failed ? (
    <div role="alert" className="boot boot--failed">
      {t('offline')}
    </div>
  ) : (
    <div className="boot" aria-busy="true" />
  );
}
