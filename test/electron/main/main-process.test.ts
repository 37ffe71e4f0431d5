import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runManage } from '../../../electron/cli/manage-cli';
import { silentLogger } from '../../../electron/core/log';
import { startMainProcess, type RunningShell, type ShellProcess } from '../../../electron/main/main-process';
import type { Reply } from '../../../shared/errors';
import { STRONG_PASSWORD } from '../../support/core-harness';
import { FakeElectron, topFrame, type FakeBrowserWindow } from '../../support/fake-electron';

const APP = 'app://bundle/index.html';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function fakeProcess(argv: string[], cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  const listeners = new Map<string, (e: unknown) => void>();
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const proc = {
    argv: ['/opt/Local Accounts/local-accounts', ...argv],
    platform: 'linux',
    env: { HOME: cwd, XDG_CONFIG_HOME: join(cwd, 'config') },
    cwd: () => cwd,
    on: (name: string, listener: (e: unknown) => void) => {
      listeners.set(name, listener);
      return proc;
    },
    stdin: new PassThrough(),
    stdout,
    stderr,
  } as unknown as ShellProcess;
  return { proc, output: () => ({ out, err }), listeners };
}

async function start(argv: string[] = [], prepare?: (appData: string) => void, configure?: (fake: FakeElectron) => void) {
  const base = mkdtempSync(join(tmpdir(), 'shell-main-'));
  const appData = join(base, 'config');
  mkdirSync(appData);
  prepare?.(appData);
  const fake = new FakeElectron({ appData });
  configure?.(fake);
  const { proc, output, listeners } = fakeProcess(argv, base);
  const logs: string[] = [];
  const log = { warn: () => {}, error: (m: string, ctx?: Record<string, unknown>) => logs.push(`${m} ${JSON.stringify(ctx ?? {})}`) };
  const shell = await startMainProcess({ electron: fake.api, process: proc, homedir: base, mainDir: join(base, 'out', 'main'), log });
  cleanup.push(async () => {
    if (shell) {
      fake.app.quit();
      await shell.shutdown;
    }
    rmSync(base, { recursive: true, force: true });
  });
  return { base, appData, fake, shell, output, listeners, logs };
}

const invoke = (fake: FakeElectron, win: FakeBrowserWindow, channel: string, payload: unknown = {}) =>
  fake.ipcMain.invoke(channel, win.webContents, topFrame(APP), payload) as Promise<Reply>;

async function signedIn(argv: string[] = []) {
  const s = await start(argv);
  const shell = s.shell as RunningShell;
  const win = s.fake.windows()[0] as FakeBrowserWindow;
  const r = await invoke(s.fake, win, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const sessionId = (r.data as { sessionId: string }).sessionId;
  return { ...s, shell, win, sessionId };
}

const events = (win: FakeBrowserWindow, name: string) => win.webContents.sent.filter((e) => e.channel === name).map((e) => e.payload);
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('main process start-up', () => {
  it('takes the single-instance lock, uses <appData>/Local Accounts, opens one secure window serving app://', async () => {
    const { fake, shell, appData } = await start();
    expect(shell).not.toBeNull();
    expect(shell?.dataDir).toBe(join(appData, 'Local Accounts'));
    expect(fake.app.getPath('userData')).toBe(join(appData, 'Local Accounts'));
    expect(readFileSync(join(appData, 'Local Accounts', 'accounts.db')).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(fake.app.sandboxed).toBe(true);
    expect(fake.protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);
    expect(fake.defaultSession.requestHandler).not.toBeNull();
    expect(fake.defaultSession.checkHandler).not.toBeNull();
    expect(fake.windows()).toHaveLength(1);
    const win = fake.windows()[0] as FakeBrowserWindow;
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(win.loaded).toEqual([APP]);
  });

  it('answers app:info from the window through ipcMain into the real core', async () => {
    const { fake } = await start();
    const win = fake.windows()[0] as FakeBrowserWindow;
    expect(await invoke(fake, win, 'app:info')).toMatchObject({ ok: true, data: { setupRequired: true, version: '0.1.0' } });
  });

  it('honours --data-dir DIR, relative to the working folder', async () => {
    const { shell, base } = await start(['--data-dir', 'elsewhere']);
    expect(shell?.dataDir).toBe(join(base, 'elsewhere'));
    expect(readFileSync(join(base, 'elsewhere', 'accounts.db')).length).toBeGreaterThan(0);
  });

  it('quits at once when another instance holds the lock', async () => {
    const base = mkdtempSync(join(tmpdir(), 'shell-main-'));
    cleanup.push(async () => rmSync(base, { recursive: true, force: true }));
    const fake = new FakeElectron({ appData: base });
    fake.app.gotLock = false;
    const shell = await startMainProcess({ electron: fake.api, process: fakeProcess([], base).proc, homedir: base, mainDir: base, log: silentLogger });
    expect(shell).toBeNull();
    expect(fake.app.quits).toBe(1);
    expect(fake.windows()).toHaveLength(0);
  });

  it('shows a dialog naming a damaged database and exits, leaving the file as it was', async () => {
    const garbage = 'this is not an SQLite database, and it is somebody\'s file';
    const { fake, shell, appData } = await start([], (dir) => {
      mkdirSync(join(dir, 'Local Accounts'));
      writeFileSync(join(dir, 'Local Accounts', 'accounts.db'), garbage);
    });
    expect(shell).toBeNull();
    expect(fake.app.exitCode).toBe(1);
    expect(fake.windows()).toHaveLength(0);
    expect(fake.dialog.messageBoxes).toHaveLength(1);
    expect(fake.dialog.messageBoxes[0]).toMatchObject({ type: 'error', title: 'The accounts database cannot be read' });
    expect(fake.dialog.messageBoxes[0]?.detail).toMatch(/Nothing was changed/);
    expect(readFileSync(join(appData, 'Local Accounts', 'accounts.db'), 'utf8')).toBe(garbage);
  });
});

describe('uncaught errors', () => {
  it('are logged by class only and shown in a dialog, never as a blank window', async () => {
    const { fake, listeners, logs } = await start();
    listeners.get('uncaughtException')?.(new TypeError('secret hunter2 in a message'));
    listeners.get('unhandledRejection')?.(new Error('another'));
    expect(fake.dialog.errorBoxes).toHaveLength(2);
    expect(fake.dialog.errorBoxes[0]?.title).toBe('Something went wrong in Local Accounts');
    expect(logs.filter((l) => l.startsWith('uncaught exception'))).toEqual(['uncaught exception {"error":"TypeError"}']);
    expect(logs.join('\n')).not.toContain('hunter2');
  });
});

describe('second instance', () => {
  it('focuses the existing window', async () => {
    const { fake } = await start();
    const win = fake.windows()[0] as FakeBrowserWindow;
    win.minimized = true;
    fake.app.secondInstance(['/opt/la', '--some-chromium-switch']);
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(1);
    expect(fake.windows()).toHaveLength(1);
  });

  it('--lock-all locks every session of the running instance (and does not raise the window)', async () => {
    const { fake, win } = await signedIn();
    fake.app.secondInstance(['/opt/la', '--lock-all']);
    await settle();
    expect(events(win, 'session:locked')).toEqual([expect.objectContaining({ reason: 'lock-all' })]);
    expect(win.focused).toBe(0);
  });
});

describe('power events', () => {
  it('suspend and lock-screen lock every session', async () => {
    const { fake, win, sessionId } = await signedIn();
    fake.powerMonitor.emit('suspend');
    await settle();
    expect(events(win, 'session:locked')).toEqual([{ sessionId, handle: expect.any(String), reason: 'suspend' }]);
    const r = await invoke(fake, win, 'auth:unlock', { sessionId, password: STRONG_PASSWORD });
    const next = (r as { data: { sessionId: string } }).data.sessionId;
    fake.powerMonitor.emit('lock-screen');
    await settle();
    expect(events(win, 'session:locked').at(-1)).toEqual({ sessionId: next, handle: expect.any(String), reason: 'screen-lock' });
  });
});

describe('Account menu', () => {
  it('follows the window sessions and sends menu commands to the window; Lock All locks in main', async () => {
    const { fake, win, sessionId } = await signedIn();
    await invoke(fake, win, 'profiles:activate', { sessionId });
    await settle();
    const items = fake.Menu.account();
    expect(items.find((i) => i.type === 'radio')).toMatchObject({ label: 'admin', checked: true, enabled: true });
    const lockAll = items.find((i) => i.id === 'lock-all');
    lockAll?.click?.({} as never, undefined, {} as never);
    await settle();
    expect(events(win, 'menu:command')).toEqual([{ command: 'lock-all' }]);
    expect(events(win, 'session:locked')).toEqual([expect.objectContaining({ reason: 'lock-all' })]);
    expect(fake.Menu.account().find((i) => i.id === 'lock')).toMatchObject({ enabled: false });
  });

  it('speaks the OS language: app.getLocale() zh-CN gives the Chinese labels', async () => {
    const { fake } = await start([], undefined, (f) => {
      f.app.locale = 'zh-CN';
    });
    await settle();
    expect(fake.Menu.current?.template.find((m) => m.id === 'account')?.label).toBe('账户');
    expect(fake.Menu.account().map((i) => i.label).filter(Boolean)).toEqual(['未登录', '添加个人资料…', '锁定', '全部锁定', '退出登录']);
  });

  it('stays English for an English (or unknown) OS locale', async () => {
    const { fake } = await start([], undefined, (f) => {
      f.app.locale = 'de-DE';
    });
    await settle();
    expect(fake.Menu.current?.template.find((m) => m.id === 'account')?.label).toBe('Account');
  });
});

describe('shutdown', () => {
  it('on before-quit: ends the window sessions, closes the core, saves the bounds, then quits', async () => {
    const { fake, shell, win, sessionId } = await signedIn();
    fake.app.quit();
    await shell.shutdown;
    expect(fake.app.quits).toBe(1);
    expect(await shell.core.dispatch(win.webContents.id, 'auth:session', { sessionId })).toMatchObject({ ok: false });
    expect(JSON.parse(readFileSync(join(shell.dataDir, 'window-state.json'), 'utf8'))).toMatchObject({ bounds: { width: 960, height: 640 } });
    expect(fake.ipcMain.handlers.size).toBe(0);
  });
});

describe('--manage', () => {
  it('runs the manage CLI headless through its own entry function: same output and exit code', async () => {
    const missing = join(tmpdir(), 'no-such-accounts-folder-for-shell-test');
    const { fake, shell, output } = await start(['--manage', 'users', '--data-dir', missing]);
    expect(shell).toBeNull();
    expect(fake.windows()).toHaveLength(0);
    const direct = fakeProcess([], tmpdir());
    const code = await runManage(['users', '--data-dir', missing], {
      stdin: direct.proc.stdin, stdout: direct.proc.stdout, stderr: direct.proc.stderr,
      env: direct.proc.env, platform: 'linux', homedir: tmpdir(), cwd: tmpdir(),
    });
    expect(code).not.toBe(0);
    expect(fake.app.exitCode).toBe(code);
    expect(output().err).toBe(direct.output().err);
    expect(output().err).toMatch(/No data folder/);
  });
});
