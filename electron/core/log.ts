/**
 * Where the core reports what it cannot tell the caller (INTERNAL causes, timer
 * failures). Callers pass facts, never payloads: no password or session ID may
 * reach a log.
 */
export interface Logger {
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export const stderrLogger: Logger = {
  warn: (message, context) => console.warn(`[accounts] ${message}`, context ?? ''),
  error: (message, context) => console.error(`[accounts] ${message}`, context ?? ''),
};

export const silentLogger: Logger = { warn: () => {}, error: () => {} };

/**
 * What a log may say about an error nobody expected: its class, its code (ERR_…, SQLITE_…)
 * and where it was thrown (up to three stack frames: code locations only), never its
 * message. A message can quote input: JSON.parse quotes the text it failed on, and a
 * custom backend may put the password it was handed into its error. Logging messages of
 * unknown errors would carry passwords and session IDs into log files.
 */
export function errorFacts(e: unknown): { error: string; code?: string; at?: string[] } {
  if (!(e instanceof Error)) return { error: `thrown ${typeof e}` };
  const facts: { error: string; code?: string; at?: string[] } = {
    error: /^[A-Za-z_$][\w$]{0,63}$/.test(e.name) ? e.name : 'Error',
  };
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code)) facts.code = code;
  const at = (e.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 3)
    .map((line) => line.trim());
  if (at.length > 0) facts.at = at;
  return facts;
}
