import type { Shell } from 'electron';
import type { WebContentsPort } from '../ports/electron-ports';
import { openExternalSafe } from './external-links';

export type GuardedContents = Pick<WebContentsPort, 'on' | 'setWindowOpenHandler'>;

export interface NavigationGuardOptions {
  shell: Pick<Shell, 'openExternal'>;
  log: { warn(message: string, context?: Record<string, unknown>): void };
}

/**
 * The page is a single-page app: it never navigates, is never redirected, opens no
 * windows and embeds no webviews. Every attempt is refused, so neither an injected
 * link nor a compromised script can load foreign content into a window that holds
 * the preload bridge (checklist #12-#14). A window.open of an https URL is handed
 * to the default browser through openExternalSafe instead.
 *
 * Reloads are not navigations in this sense (no will-navigate); the bridge ends the
 * page's sessions when one starts.
 */
export function guardNavigation(contents: GuardedContents, o: NavigationGuardOptions): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    o.log.warn('navigation refused');
  });
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    o.log.warn('redirect refused');
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafe(o.shell, url).catch(() => {});
    return { action: 'deny' };
  });
}
