import * as Dialog from '@radix-ui/react-dialog';
import { useState, type ReactNode } from 'react';
import type { Reply } from '../../../shared/errors';
import { errorWords, useTr } from './admin-errors';

/**
 * Where focus goes back when a dialog closes: `returnTo` (e.g. the row's menu button,
 * since the menu item that opened the dialog is gone), else whatever had focus when the
 * dialog opened. Radix traps focus but returns it only to a Dialog.Trigger, which these
 * dialogs (opened from menus and other dialogs) do not have.
 */
export function useReturnFocus(returnTo?: HTMLElement | null): (event: Event) => void {
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  return (event: Event) => {
    event.preventDefault();
    const target = [returnTo, opener].find((el) => el?.isConnected && el !== document.body);
    target?.focus();
  };
}

/** A dialog frame: focus is trapped inside and returns to the opener on close. */
export function AdminDialog({
  title,
  onClose,
  children,
  size = 'medium',
  returnTo,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  size?: 'small' | 'medium' | 'large';
  returnTo?: HTMLElement | null;
}) {
  const onCloseAutoFocus = useReturnFocus(returnTo);
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="admin-overlay" />
        <Dialog.Content className={`admin-dialog admin-dialog--${size}`} aria-describedby={undefined} onCloseAutoFocus={onCloseAutoFocus}>
          <Dialog.Title className="admin-dialog__title">{title}</Dialog.Title>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/**
 * A dialog's buttons: Cancel (closes, nothing changes) and the form's submit button,
 * disabled while the action runs so it is never sent twice.
 */
export function DialogActions({ submit, busy }: { submit: string; busy: boolean }) {
  const t = useTr();
  return (
    <div className="admin-dialog__actions">
      <Dialog.Close asChild>
        <button type="button" className="admin-button">
          {t('cancel')}
        </button>
      </Dialog.Close>
      <button type="submit" className="admin-button admin-button--primary" disabled={busy}>
        {submit}
      </button>
    </div>
  );
}

/**
 * A destructive action, confirmed with the object's name in the button ("Delete alice").
 * The core's refusal (e.g. the last superuser) shows in the dialog, in words.
 */
export function ConfirmDialog({
  title,
  body,
  confirm,
  action,
  onClose,
  onDone,
  returnTo,
}: {
  title: string;
  body: string;
  confirm: string;
  action: () => Promise<Reply>;
  onClose: () => void;
  onDone: () => void;
  returnTo?: HTMLElement | null;
}) {
  const t = useTr();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    const r = await action();
    setBusy(false);
    if (r.ok) onDone();
    else if (r.error.code !== 'REAUTH_REQUIRED') setError(errorWords(t, r.error));
  };
  return (
    <AdminDialog title={title} onClose={onClose} size="small" returnTo={returnTo}>
      <p className="admin-dialog__text">{body}</p>
      {error !== null && (
        <p className="admin-error" role="alert">
          {error}
        </p>
      )}
      <div className="admin-dialog__actions">
        <Dialog.Close asChild>
          <button type="button" className="admin-button" autoFocus>
            {t('cancel')}
          </button>
        </Dialog.Close>
        <button type="button" className="admin-button admin-button--danger" disabled={busy} onClick={() => void run()}>
          {confirm}
        </button>
      </div>
    </AdminDialog>
  );
}
