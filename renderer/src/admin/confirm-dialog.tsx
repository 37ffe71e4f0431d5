import * as Dialog from '@radix-ui/react-dialog';
import { useState, type ReactNode } from 'react';
import type { Reply } from '../../../shared/errors';
import { errorWords, useTr } from './admin-errors';

/** A dialog frame: focus is trapped inside and returns to the opener on close (Radix). */
export function AdminDialog({
  title,
  onClose,
  children,
  size = 'medium',
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  size?: 'small' | 'medium' | 'large';
}) {
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="admin-overlay" />
        <Dialog.Content className={`admin-dialog admin-dialog--${size}`} aria-describedby={undefined}>
          <Dialog.Title className="admin-dialog__title">{title}</Dialog.Title>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
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
}: {
  title: string;
  body: string;
  confirm: string;
  action: () => Promise<Reply>;
  onClose: () => void;
  onDone: () => void;
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
    <AdminDialog title={title} onClose={onClose} size="small">
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
