import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PasswordCheck } from '../../../shared/dto';
import type { AccountsClient } from '../app/accounts-client';
import { useApp } from '../app/app-context';

export interface StrengthMeterProps {
  password: string;
  username?: string;
  email?: string | null;
  displayName?: string | null;
  /** The id the password input points at with aria-describedby. */
  id: string;
}

export interface PasswordStrengthProps extends StrengthMeterProps {
  client: AccountsClient;
  /** The policy's length bounds (app:info), for the words of the length reasons. */
  policy: { minLength: number; maxLength: number };
}

const DEBOUNCE_MS = 150;

/** The meter inside the app frame: the window's client and app:info's policy. */
export function StrengthMeter(props: StrengthMeterProps) {
  const { controller, info } = useApp();
  return <PasswordStrength {...props} client={controller.client} policy={info.passwordPolicy} />;
}

/**
 * The live strength meter (also in the admin console's password dialogs, which run
 * outside the app frame and pass their own client and policy): asks the core (`password:check`) as the user types, so
 * the reasons are the policy's own, in words; the score drives the bar. Debounced,
 * and a stale answer (for an older value) never overwrites a newer one.
 */
export function PasswordStrength({ password, username, email, displayName, id, client, policy }: PasswordStrengthProps) {
  const { t } = useTranslation('auth');
  const [result, setResult] = useState<{ for: string; check: PasswordCheck } | null>(null);

  useEffect(() => {
    if (password === '') return;
    let current = true;
    const timer = setTimeout(() => {
      void client
        .call('password:check', { password, username: username || undefined, email: email || null, displayName: displayName || null })
        .then((reply) => {
          if (current && reply.ok) setResult({ for: password, check: reply.data });
        });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, password, username, email, displayName]);

  const check = password !== '' && result ? result.check : null;
  const score = check ? (check.reasons.length > 0 ? Math.min(check.score, 1) : check.score) : -1;
  const { minLength, maxLength } = policy;
  return (
    <div className="meter" id={id}>
      <div className="meter__bar" aria-hidden="true" data-score={score}>
        {[0, 1, 2, 3, 4].map((i) => (
          <span key={i} className={i <= score ? `meter__seg meter__seg--on meter__seg--${score}` : 'meter__seg'} />
        ))}
      </div>
      <div className="meter__text" aria-live="polite">
        {check ? (
          <>
            <p className="meter__label">
              {t('strength.label')}: <strong>{t(`strength.${score as 0 | 1 | 2 | 3 | 4}`)}</strong>
            </p>
            {check.reasons.length > 0 ? (
              <ul className="meter__reasons">
                {check.reasons.map((r) => (
                  <li key={r}>{t(`reasons.${r}`, { min: minLength, max: maxLength })}</li>
                ))}
              </ul>
            ) : (
              <p className="meter__ok">{t('strength.ok')}</p>
            )}
          </>
        ) : (
          <p className="meter__hint">{t('strength.empty', { min: minLength })}</p>
        )}
      </div>
    </div>
  );
}
