import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorBody } from '../../../shared/errors';
import { ERROR_CODES } from '../../../shared/errors';
import { useApp } from '../app/app-context';

/**
 * The sentence a person reads for an error: one per code, in their language; never
 * the code or the main process's English message. PASSWORD_POLICY lists its reasons.
 */
export function useErrorText(): (error: ErrorBody | null) => string | null {
  const { t } = useTranslation(['errors', 'auth']);
  const { info } = useApp();
  const { minLength, maxLength } = info.passwordPolicy;
  return useCallback(
    (error) => {
      if (!error) return null;
      const code = (ERROR_CODES as readonly string[]).includes(error.code) ? error.code : 'INTERNAL';
      if (code === 'PASSWORD_POLICY' && error.reasons && error.reasons.length > 0) {
        const parts = error.reasons.map((r) => t(`auth:reasons.${r}`, { min: minLength, max: maxLength }));
        return [t('errors:PASSWORD_POLICY'), ...parts].join(' ');
      }
      return t(`errors:${code}`);
    },
    [t, minLength, maxLength],
  );
}
