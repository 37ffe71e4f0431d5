import { useId, type Ref } from 'react';

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'tel';
  autoComplete?: string;
  autoFocus?: boolean;
  invalid?: boolean;
  readOnly?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  name?: string;
}

export function TextField(props: TextFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <input
        id={id}
        ref={props.inputRef}
        name={props.name}
        className="input"
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete={props.autoComplete}
        autoFocus={props.autoFocus}
        readOnly={props.readOnly}
        spellCheck={false}
        autoCapitalize="off"
        aria-invalid={props.invalid || undefined}
      />
    </div>
  );
}
