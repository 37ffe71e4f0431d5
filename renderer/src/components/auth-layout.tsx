import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The centred column of the sign-in, first-run, lock and change-password screens:
 * app mark, a heading that receives focus when the screen appears (so screen
 * readers announce where the user is), then the content.
 */
export function AuthLayout(props: { title: string; subtitle?: string; top?: ReactNode; mark?: ReactNode; children: ReactNode; wide?: boolean }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const column = useRef<HTMLDivElement>(null);
  // A new screen moves focus to its heading (screen readers announce it), unless a
  // field of this screen already took focus (autoFocus), which is where typing goes.
  useEffect(() => {
    const h = heading.current;
    if (!h || h.closest('[hidden]')) return;
    if (!column.current?.contains(document.activeElement)) h.focus({ preventScroll: true });
  }, [props.title]);
  return (
    <div className="auth">
      {props.top}
      <div className={props.wide ? 'auth__column auth__column--wide' : 'auth__column'} ref={column}>
        <div className="auth__brand">
          {props.mark ?? <AppMark />}
          {!props.mark && <span className="auth__app-name">{t('appName')}</span>}
        </div>
        <h1 className="auth__title" ref={heading} tabIndex={-1}>
          {props.title}
        </h1>
        {props.subtitle && <p className="auth__subtitle">{props.subtitle}</p>}
        {props.children}
      </div>
    </div>
  );
}

export function AppMark() {
  return (
    <svg className="app-mark" width="40" height="40" viewBox="0 0 40 40" aria-hidden="true">
      <rect width="40" height="40" rx="10" fill="var(--accent)" />
      <circle cx="20" cy="16" r="6" fill="none" stroke="#fff" strokeWidth="2.5" />
      <path d="M10 31c1.8-5 5.6-7.5 10-7.5s8.2 2.5 10 7.5" fill="none" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}

export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}
