import * as Dialog from '@radix-ui/react-dialog';
import { useId, useState, type FormEvent } from 'react';
import type { AccountsClient } from '../app/accounts-client';
import { errorWords, useTr } from './admin-errors';
import { DialogActions, useReturnFocus } from './confirm-dialog';

interface SudoDialogProps {
  client: AccountsClient;
  sessionId: string;
  /** true: the password was confirmed (the action retries); false: cancelled, nothing changes. */
  onDone: (confirmed: boolean) => void;
}

/**
 * "Confirm your password to continue" (sudo mode). A wrong password is said in words and
 * counts towards the core's throttling like any other attempt; Escape or Cancel answer
 * false and the pending action is dropped.
 */
export function SudoDialog({ client, sessionId, onDone }: SudoDialogProps) {
  const t = useTr();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const onCloseAutoFocus = useReturnFocus();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (password === '') {
      setError(t('sudo.empty'));
      return;
    }
    setBusy(true);
    const r = await client.call('auth:reauthenticate', { sessionId, password });
    setBusy(false);
    if (r.ok) {
      onDone(true);
      return;
    }
    setPassword('');
    setError(r.error.code === 'INVALID_CREDENTIALS' ? t('sudo.wrong') : errorWords(t, r.error));
  };

  return (
    <Dialog.Root open onOpenChange={(open) => !open && onDone(false)}>
      <Dialog.Portal>
        <Dialog.Overlay className="admin-overlay admin-overlay--top" />
        <Dialog.Content className="admin-dialog admin-dialog--small" aria-describedby={undefined} onCloseAutoFocus={onCloseAutoFocus}>
          <Dialog.Title className="admin-dialog__title">{t('sudo.title')}</Dialog.Title>
          <p className="admin-dialog__text">{t('sudo.body')}</p>
          <form onSubmit={(e) => void submit(e)} noValidate>
            <label className="admin-field">
              <span className="admin-field__label">{t('sudo.password')}</span>
              <input
                className="admin-input"
                type="password"
                autoComplete="current-password"
                value={password}
                autoFocus
                aria-invalid={error !== null}
                aria-describedby={error !== null ? errorId : undefined}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            {error !== null && (
              <p id={errorId} className="admin-error" role="alert">
                {error}
              </p>
            )}
            <DialogActions submit={busy ? t('sudo.checking') : t('sudo.confirm')} busy={busy} />
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
