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
