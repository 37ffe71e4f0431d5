import { checkPasswordPolicy } from '../../auth/password-policy';
import { estimateStrength } from '../../auth/password-strength';
import type { Services } from '../../services';
import type { HandlerMap } from '../handler-types';

/**
 * `password:check`, for the live strength meter on the first-run, change-password and
 * admin forms. Public, because the first-run form has no session yet.
 *
 * Contract: answers the same reasons the policy would refuse the password with (the
 * policy is the one source of truth; 'same-as-current' is never reported here, it
 * needs the stored hash), plus zxcvbn's advisory score. It stores, logs and audits
 * nothing, so a password typed here never leaves memory; and it does not touch the
 * login throttle, since it proves nothing about any account's password.
 * Cost: the estimate is capped (password-strength.ts) to stay well under 100 ms even
 * for hostile input, because a renderer may ask on every keystroke.
 */
export function passwordHandlers(s: Services): Pick<HandlerMap, 'password:check'> {
  return {
    'password:check': (_ctx, req) => {
      const context = { username: req.username, email: req.email ?? null, displayName: req.displayName ?? null };
      const reasons = checkPasswordPolicy(req.password, context, { minLength: s.settings.passwordMinLength });
      const inputs = [req.username, req.email, req.displayName].filter((v): v is string => typeof v === 'string');
      const estimate = estimateStrength(req.password, inputs);
      return { reasons, score: estimate.score, suggestions: estimate.suggestions };
    },
  };
}
