import { useId, useState, type KeyboardEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';

export interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  autoFocus?: boolean;
  invalid?: boolean;
  describedBy?: string;
  inputRef?: Ref<HTMLInputElement>;
  name?: string;
}

/**
 * A password input with a labelled show/hide button (not a bare icon) and a
 * caps-lock warning under the field while Caps Lock is on (read from key events,
 * so it appears as soon as the user types).
 */
export function PasswordField(props: PasswordFieldProps) {
  const { t } = useTranslation('auth');
  const id = useId();
  const capsId = `${id}-caps`;
  const [visible, setVisible] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState?.('CapsLock') ?? false);
  const describedBy = [props.describedBy, capsLock ? capsId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <div className="field__password">
        <input
          id={id}
          ref={props.inputRef}
          name={props.name}
          className="input input--password"
          type={visible ? 'text' : 'password'}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          onKeyDown={onKey}
          onKeyUp={onKey}
          onBlur={() => setCapsLock(false)}
          autoComplete={props.autoComplete}
          autoFocus={props.autoFocus}
          spellCheck={false}
          autoCapitalize="off"
          aria-invalid={props.invalid || undefined}
          aria-describedby={describedBy}
        />
        <button
          type="button"
          className="field__reveal"
          onClick={() => setVisible((v) => !v)}
          aria-pressed={visible}
        >
          {visible ? t('login.hidePassword') : t('login.showPassword')}
        </button>
      </div>
      {capsLock && (
        <p id={capsId} className="field__hint field__hint--warning" role="status">
          <span aria-hidden="true">⇪ </span>
          {t('login.capsLock')}
        </p>
      )}
    </div>
  );
}
