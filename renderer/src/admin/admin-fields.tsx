import { useId, type ReactNode } from 'react';

/** A labelled text input with its problem under it (aria-invalid + aria-describedby). */
export function TextField({
  label,
  value,
  onChange,
  error,
  type = 'text',
  autoComplete = 'off',
  autoFocus,
  hint,
  required,
  describedBy: extraDescribedBy,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  type?: 'text' | 'email' | 'tel' | 'password';
  autoComplete?: string;
  autoFocus?: boolean;
  hint?: string;
  required?: boolean;
  /** Another element that describes the input (a strength meter given as children). */
  describedBy?: string;
  /** Shown under the input, its hint and its problem. */
  children?: ReactNode;
}) {
  const id = useId();
  const describedBy = [error !== undefined && `${id}-error`, hint !== undefined && `${id}-hint`, extraDescribedBy].filter(Boolean).join(' ');
  return (
    <div className="admin-field">
      <label htmlFor={id} className="admin-field__label">
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        className="admin-input"
        type={type}
        value={value}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        required={required}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint !== undefined && (
        <p id={`${id}-hint`} className="admin-hint">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} className="admin-error">
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

export function CheckField({
  label,
  checked,
  onChange,
  hint,
  disabled,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="admin-check-field">
      <label className="admin-check">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-describedby={hint !== undefined ? `${id}-hint` : undefined}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span>{label}</span>
      </label>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="admin-hint admin-hint--check">
          {hint}
        </p>
      )}
    </div>
  );
}
