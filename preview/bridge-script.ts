import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_NAMES, channels } from '../shared/contract';

const CLIENT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'client');

/**
 * The one script the preview adds to the page (/__preview/bridge.js): window.accounts
 * with the preload's shape, then the Account menubar. Channel and event names come
 * from shared/contract.ts at start, so a channel added to the contract reaches the
 * preview without anyone editing it. Served same-origin because the page's CSP
 * (script-src 'self') forbids inline scripts.
 */
export function bridgeScript(): string {
  const bridge = readFileSync(join(CLIENT_DIR, 'preview-bridge.js'), 'utf8');
  const menubar = readFileSync(join(CLIENT_DIR, 'preview-menubar.js'), 'utf8');
  return [
    '"use strict";',
    '(() => {',
    `const CHANNELS = ${JSON.stringify(Object.keys(channels))};`,
    `const EVENTS = ${JSON.stringify(EVENT_NAMES)};`,
    bridge,
    menubar,
    'const bridge = createBridge();',
    "Object.defineProperty(window, 'accounts', { value: bridge.api, enumerable: true, configurable: false, writable: false });",
    'mountMenubar(bridge.menu);',
    '})();',
    '',
  ].join('\n');
}

export function menubarStyles(): string {
  return readFileSync(join(CLIENT_DIR, 'preview-menubar.css'), 'utf8');
}
