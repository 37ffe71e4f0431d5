import * as Dialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  danger?: boolean;
  children?: ReactNode;
}

/** A Radix dialog: traps focus, Escape closes, focus returns to the opener. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog__overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title className="dialog__title">{props.title}</Dialog.Title>
          <Dialog.Description className="dialog__body">{props.body}</Dialog.Description>
          {props.children}
          <div className="dialog__actions">
            <Dialog.Close className="button button--secondary">{t('cancel')}</Dialog.Close>
            <button
              type="button"
              className={props.danger ? 'button button--danger' : 'button button--primary'}
              onClick={props.onConfirm}
            >
              {props.confirmLabel}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
