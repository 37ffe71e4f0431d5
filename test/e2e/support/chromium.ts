import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run through apt); playwright-core downloads no browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Quiet, offline, headless. --no-sandbox only as root (Chromium refuses its sandbox
 * there) or when CHROMIUM_NO_SANDBOX=1 (containers without user namespaces).
 */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  ...(process.getuid?.() === 0 || process.env.CHROMIUM_NO_SANDBOX === '1' ? ['--no-sandbox'] : []),
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
