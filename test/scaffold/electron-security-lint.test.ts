import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Proves each Electron security lint rule of eslint.config.js fires on a planted
 * file (linted as if it lived in the shell), and that the three exempt modules are
 * exempt from their own rule only.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot });
});

async function securityErrors(relPath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, relPath) });
  if (result === undefined) throw new Error('no lint result');
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const PLANTED = 'electron/main/planted.ts';
const prefs = (body: string) => `export const o = { webPreferences: { ${body} } };\n`;

describe('Electron security lint rules', () => {
  it.each([
    ['nodeIntegration: true', prefs('nodeIntegration: true'), 'nodeIntegration'],
    ['nodeIntegrationInWorker: true', prefs('nodeIntegrationInWorker: true'), 'nodeIntegration'],
    ["'nodeIntegration': true (string key)", prefs("'nodeIntegration': true"), 'nodeIntegration'],
    ['contextIsolation: false', prefs('contextIsolation: false'), 'contextIsolation'],
    ['sandbox: false', prefs('sandbox: false'), 'sandboxed'],
    ['webSecurity: false', prefs('webSecurity: false'), 'webSecurity'],
    ['allowRunningInsecureContent: true', prefs('allowRunningInsecureContent: true'), 'insecure content'],
    ['experimentalFeatures: true', prefs('experimentalFeatures: true'), 'experimental'],
    ["enableBlinkFeatures: 'X'", prefs("enableBlinkFeatures: 'CSSVariables'"), 'enableBlinkFeatures'],
    ['webviewTag: true', prefs('webviewTag: true'), 'webview'],
    ['ipcMain.handle', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n", 'ipc-bridge.ts'],
    ['ipcMain.on', "import { ipcMain } from 'electron';\nipcMain.on('x', () => {});\n", 'ipc-bridge.ts'],
    ['deps.ipcMain.handle', "export function f(d: { ipcMain: { handle(c: string, h: () => void): void } }) { d.ipcMain.handle('x', () => {}); }\n", 'ipc-bridge.ts'],
    ['new BrowserWindow', "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({});\n", 'main-window.ts'],
    ['new o.BrowserWindow', "export function f(o: { BrowserWindow: new (x: object) => object }) { return new o.BrowserWindow({}); }\n", 'main-window.ts'],
    ['new WebContentsView', "import { WebContentsView } from 'electron';\nexport const v = new WebContentsView();\n", 'main-window.ts'],
    ['shell.openExternal', "import { shell } from 'electron';\nvoid shell.openExternal('file:///etc/passwd');\n", 'openExternalSafe'],
  ])('fires on %s', async (_name, code, words) => {
    const errors = await securityErrors(PLANTED, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(words);
  });

  it('accepts the secure values', async () => {
    const ok = prefs('nodeIntegration: false, contextIsolation: true, sandbox: true, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false');
    expect(await securityErrors(PLANTED, ok)).toEqual([]);
  });

  it('exempts each guarded module from its own rule only', async () => {
    const handle = "export function f(d: { ipcMain: { handle(c: string, h: () => void): void } }) { d.ipcMain.handle('x', () => {}); }\n";
    const win = "export function f(o: { BrowserWindow: new (x: object) => object }) { return new o.BrowserWindow({}); }\n";
    const open = "export function f(s: { openExternal(u: string): void }) { s.openExternal('https://x'); }\n";
    expect(await securityErrors('electron/bridge/ipc-bridge.ts', handle)).toEqual([]);
    expect(await securityErrors('electron/window/main-window.ts', win)).toEqual([]);
    expect(await securityErrors('electron/window/external-links.ts', open)).toEqual([]);
    expect(await securityErrors('electron/bridge/ipc-bridge.ts', win)).toHaveLength(1);
    expect(await securityErrors('electron/window/main-window.ts', prefs('sandbox: false'))).toHaveLength(1);
    expect(await securityErrors('electron/window/external-links.ts', handle)).toHaveLength(1);
  });
});
