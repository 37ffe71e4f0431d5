import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl, openExternalSafe } from '../../../electron/window/external-links';
import { SECURE_WEB_PREFERENCES, createMainWindow, mainWindowOptions } from '../../../electron/window/main-window';
import { denyAllPermissions } from '../../../electron/window/permission-guard';
import { loadWindowState, parseWindowState, saveWindowState } from '../../../electron/window/window-bounds';
import { FakeBrowserWindow, FakeSession, FakeShell, asElectronEvent } from '../../support/fake-electron';

const log = { warn: () => {} };
const open = (extra: Partial<Parameters<typeof createMainWindow>[0]> = {}) =>
  createMainWindow({
    BrowserWindow: FakeBrowserWindow,
    shell: new FakeShell(),
    preloadPath: '/app/out/preload/preload.cjs',
    state: { bounds: null, maximized: false },
    title: 'Local Accounts',
    isPackaged: true,
    log,
    ...extra,
  }) as FakeBrowserWindow;

describe('main window', () => {
  it('is created with the secure webPreferences and the preload', () => {
    const win = open();
    const prefs = win.options.webPreferences ?? {};
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
      preload: '/app/out/preload/preload.cjs',
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
  });

  it('is 960x640 by default with a 720x520 minimum, and loads the app:// entry (never file:)', () => {
    const win = open();
    expect(win.options).toMatchObject({ width: 960, height: 640, minWidth: 720, minHeight: 520, show: false });
    expect(win.loaded).toEqual(['app://bundle/index.html']);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('uses the dev server only when not packaged', () => {
    expect(open({ isPackaged: true, devServerUrl: 'http://localhost:5173' }).loaded).toEqual(['app://bundle/index.html']);
    expect(open({ isPackaged: false, devServerUrl: 'http://localhost:5173' }).loaded).toEqual(['http://localhost:5173']);
  });

  it('reopens at remembered bounds, maximized if it was', () => {
    const win = open({ state: { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true } });
    expect(mainWindowOptions({ preloadPath: 'p', state: { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true }, title: 't', isPackaged: true }))
      .toMatchObject({ x: 10, y: 20, width: 1000, height: 700 });
    expect(win.maximized).toBe(true);
  });

  it('denies navigation, frame navigation, redirects, webviews and window.open', () => {
    const shell = new FakeShell();
    const win = open({ shell });
    const wc = win.webContents;
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(wc.fire(name, { url: 'https://evil.example/' }).defaultPrevented, name).toBe(true);
    }
    const handler = wc.windowOpenHandler;
    expect(handler).not.toBeNull();
    expect(handler?.({ url: 'javascript:alert(1)' } as never)).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'https://example.com/help' } as never)).toEqual({ action: 'deny' });
    // The https link goes to the browser; the javascript: one goes nowhere.
    expect(shell.opened).toEqual(['https://example.com/help']);
    void asElectronEvent;
  });
});

describe('permissions', () => {
  it('deny every request and every check', () => {
    const session = new FakeSession();
    denyAllPermissions(session);
    const answers: boolean[] = [];
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'unknown'] as const) {
      session.requestHandler?.({} as never, p, (granted) => answers.push(granted), {} as never);
      answers.push(session.checkHandler?.(null, p, 'app://bundle', {} as never) ?? true);
    }
    expect(answers).toHaveLength(12);
    expect(answers.every((a) => a === false)).toBe(true);
  });
});

describe('openExternalSafe', () => {
  it('opens https only, nothing else', async () => {
    const shell = new FakeShell();
    for (const url of ['https://example.com/a?b#c', 'http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'https://user:pw@example.com', 'mailto:a@b.c', 'not a url']) {
      await openExternalSafe(shell, url);
    }
    expect(shell.opened).toEqual(['https://example.com/a?b#c']);
    expect(isSafeExternalUrl('HTTPS://EXAMPLE.COM')).toBe(true);
  });
});

describe('window bounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('keeps sane bounds, clamps to the minimum size, drops off-screen or broken ones', () => {
    expect(parseWindowState('{"bounds":{"x":10,"y":10,"width":1000,"height":700},"maximized":false}', screen).bounds).toEqual({ x: 10, y: 10, width: 1000, height: 700 });
    expect(parseWindowState('{"bounds":{"x":10,"y":10,"width":100,"height":100}}', screen).bounds).toEqual({ x: 10, y: 10, width: 720, height: 520 });
    expect(parseWindowState('{"bounds":{"x":5000,"y":5000,"width":1000,"height":700}}', screen).bounds).toBeNull();
    expect(parseWindowState('{"bounds":{"x":"a","y":0,"width":1,"height":1}}', screen).bounds).toBeNull();
    expect(parseWindowState('{not json', screen)).toEqual({ bounds: null, maximized: false });
  });

  it('round-trips through the data folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bounds-'));
    try {
      expect(loadWindowState(dir, screen)).toEqual({ bounds: null, maximized: false });
      saveWindowState(dir, { bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true });
      expect(loadWindowState(dir, screen)).toEqual({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true });
      writeFileSync(join(dir, 'window-state.json'), 'garbage');
      expect(loadWindowState(dir, screen).bounds).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
