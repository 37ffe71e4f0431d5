import type { Shell } from 'electron';

/**
 * The one way the app opens anything outside itself. Only `https:` URLs without
 * embedded credentials reach the OS: `file:`, `smb:`, custom handlers (`ms-msdt:`,
 * `vscode:`…) and `javascript:` are how a page turns "open a link" into running a
 * program (Electron security checklist #15). Lint forbids shell.openExternal anywhere else.
 */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
}

/** Opens `url` in the default browser when it is safe; false (and nothing opened) otherwise. */
export async function openExternalSafe(shell: Pick<Shell, 'openExternal'>, url: string): Promise<boolean> {
  if (!isSafeExternalUrl(url)) return false;
  await shell.openExternal(new URL(url).href, { activate: true });
  return true;
}
