import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as enDictionary, translations } from '@zxcvbn-ts/language-en';

/**
 * Strength estimate for the UI meter (zxcvbn: guesses an attacker with the usual
 * wordlists and patterns would need). Advisory only: the rules that refuse a password
 * are in password-policy.ts. The estimate runs in the main process, so the renderer
 * never needs the 1.5 MB of dictionaries.
 */

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface StrengthEstimate {
  score: StrengthScore;
  guessesLog10: number;
  /** Empty when zxcvbn has nothing to warn about. */
  warning: string;
  suggestions: string[];
}

/** Words every guesser of this app would try first (context words, standards.md row 7). */
const APP_CONTEXT_WORDS = ['local accounts', 'localaccounts', 'local', 'accounts'];

/**
 * Bounds on the work of one estimate, which runs on the main process (a slow call
 * freezes every window, and a renderer can ask for one per keystroke). Measured with
 * repeated l33t-heavy inputs such as "x9!x9!...": with zxcvbn's defaults (256 chars,
 * 100 l33t substitutions) one check took 0.2-1.5 s; with these caps, under ~100 ms.
 * - Only the first MAX_CHECKED_LENGTH characters are scored: longer ones score high anyway.
 * - At most MAX_L33T_SUBSTITUTIONS l33t characters are unmunged ("P@ssw0rd" is still found).
 * - No Levenshtein matching: it cost 100-500 ms per check against the full dictionaries.
 */
const MAX_CHECKED_LENGTH = 128;
const MAX_L33T_SUBSTITUTIONS = 10;

/** Built on first use: ranking the dictionaries takes a noticeable moment. */
let factory: ZxcvbnFactory | null = null;

function getFactory(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...enDictionary },
    graphs: adjacencyGraphs,
    translations,
    useLevenshteinDistance: false,
    maxLength: MAX_CHECKED_LENGTH,
    l33tMaxSubstitutions: MAX_L33T_SUBSTITUTIONS,
  });
  return factory;
}

/**
 * userInputs: the username, email, display name... Each is also split into its words
 * so "alice.smith@example.com" penalizes "smith" too. The password is NFKC-normalized
 * as it will be when hashed.
 */
export function estimateStrength(password: string, userInputs: string[] = []): StrengthEstimate {
  const inputs = new Set<string>(APP_CONTEXT_WORDS);
  for (const raw of userInputs) {
    if (typeof raw !== 'string') continue;
    const value = raw.normalize('NFKC').toLowerCase().trim();
    if (!value) continue;
    inputs.add(value);
    for (const word of value.split(/[^\p{L}\p{N}]+/u)) if (word.length >= 3) inputs.add(word);
  }
  const result = getFactory().check(password.normalize('NFKC'), [...inputs]);
  return {
    score: result.score,
    guessesLog10: result.guessesLog10,
    warning: result.feedback.warning ?? '',
    suggestions: [...result.feedback.suggestions],
  };
}
