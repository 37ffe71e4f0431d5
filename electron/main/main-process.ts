import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IpcMain, Protocol, Session, Shell } from 'electron';
import { runManage } from '../cli/manage-cli';
import { IpcBridge } from '../bridge/ipc-bridge';
import { originOf, type TrustedOrigin } from '../bridge/sender-policy';
import { APP_NAME } from '../core/app-identity';
import { createCore, type Core } from '../core/index';
import { WorkerKeychain } from '../core/keychain/worker-keychain';
import { stderrLogger, type Logger } from '../core/log';
import { loadSettings } from '../core/settings';
import { accountMenuLabelsFor, type AccountMenuCommand } from '../menu/account-menu-model';
import { AccountMenuController } from '../menu/account-menu';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, installAppProtocol } from '../window/app-protocol';
import type {
  AppPort,
  BrowserWindowClass,
  BrowserWindowPort,
  DialogPort,
  MenuPort,
  PowerMonitorPort,
  ScreenPort,
} from '../ports/electron-ports';
import { createMainWindow, windowStateOf } from '../window/main-window';
import { denyAllPermissions } from '../window/permission-guard';
import { loadWindowState, saveWindowState } from '../window/window-bounds';
import { parseShellArgs, type ShellArgs } from './command-line';
import { chooseDataFolder } from './data-folder';
import { keychainWorkerScript } from './keychain-worker-path';
import { lockOnPowerEvents } from './power-events';
import { describeStartupFailure } from './startup-failure';

/** The parts of the 'electron' module the main process uses; main.ts passes the real ones. */
export interface ShellElectron {
  app: AppPort;
  BrowserWindow: BrowserWindowClass;
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  protocol: Pick<Protocol, 'handle' | 'registerSchemesAsPrivileged'>;
  session: { defaultSession: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> };
  Menu: MenuPort<unknown>;
  shell: Pick<Shell, 'openExternal'>;
  dialog: DialogPort;
  powerMonitor: PowerMonitorPort;
  screen: ScreenPort;
}

/** The process the shell runs in (injected so tests keep their own process intact). */
export type ShellProcess = Pick<NodeJS.Process, 'argv' | 'platform' | 'env' | 'cwd' | 'on' | 'stdin' | 'stdout' | 'stderr'>;

export interface MainProcessOptions {
  electron: ShellElectron;
  process: ShellProcess;
  homedir: string;
  /** Folder of the built main bundle (out/main): preload, renderer and worker are found from it. */
  mainDir: string;
  log?: Logger;
}

/** What a running main process exposes, for its tests. */
export interface RunningShell {
  args: ShellArgs;
  dataDir: string;
  core: Core;
  bridge: IpcBridge;
  window(): BrowserWindowPort | null;
  /** Settles when the before-quit shutdown has finished. */
  shutdown: Promise<void>;
}

/**
 * The main process, start to finish: `--manage` runs headless; otherwise the
 * single-instance lock, the data folder, createCore, the app:// protocol, the
 * bridge, the window, the Account menu, power events, and a clean shutdown on quit.
 * Resolves with the running shell, or null when this process is exiting (second
 * instance, --manage, a start-up failure already shown to the user).
 */
export async function startMainProcess(o: MainProcessOptions): Promise<RunningShell | null> {
  const { app, dialog } = o.electron;
  const log = o.log ?? stderrLogger;
  installCrashReporting(o, log);

  let args: ShellArgs;
  try {
    args = parseShellArgs(o.process.argv.slice(1));
  } catch (e) {
    return fail(o, e, '', log);
  }
  if (args.manage !== null) {
    const code = await runManage(args.manage, {
      stdin: o.process.stdin, stdout: o.process.stdout, stderr: o.process.stderr,
      env: o.process.env, platform: o.process.platform, homedir: o.homedir, cwd: o.process.cwd(),
    });
    // Flush first (pipes can still hold output), as the CLI's own entry does.
    await new Promise<void>((done) => o.process.stdout.write('', () => done()));
    await new Promise<void>((done) => o.process.stderr.write('', () => done()));
    app.exit(code);
    return null;
  }

  // Before `ready`: the scheme's privileges, the sandbox for every renderer, the data folder.
  o.electron.protocol.registerSchemesAsPrivileged([...APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();
  const dataDir = chooseDataFolder(app, args.dataDir, o.process.cwd());

  if (!app.requestSingleInstanceLock()) {
    // The running instance got our command line through 'second-instance'.
    app.quit();
    return null;
  }

  await app.whenReady();
  const keychain = new WorkerKeychain({ timeoutMs: 5000, script: pathToFileURL(keychainWorkerScript(o.mainDir)) });
  let core: Core;
  try {
    core = await createCore({ dataDir, keychain, logger: log });
  } catch (e) {
    await keychain.close();
    return fail(o, e, dataDir, log);
  }

  const rendererRoot = join(o.mainDir, '..', 'renderer');
  installAppProtocol(o.electron.protocol, rendererRoot);
  denyAllPermissions(o.electron.session.defaultSession);

  const devServerUrl = !app.isPackaged ? o.process.env.ELECTRON_RENDERER_URL : undefined;
  const trusted: TrustedOrigin[] = [originOf(APP_ENTRY_URL), ...(devServerUrl ? [originOf(devServerUrl)] : [])];
  const bridge = new IpcBridge({ ipcMain: o.electron.ipcMain, core, trustedOrigins: trusted, log });
  bridge.start();

  let win: BrowserWindowPort | null = null;
  const openWindow = (): BrowserWindowPort => {
    const created = createMainWindow({
      BrowserWindow: o.electron.BrowserWindow,
      shell: o.electron.shell,
      preloadPath: join(o.mainDir, '..', 'preload', 'preload.cjs'),
      state: loadWindowState(dataDir, o.electron.screen.getAllDisplays().map((d) => d.workArea)),
      title: APP_NAME,
      isPackaged: app.isPackaged,
      ...(devServerUrl ? { devServerUrl } : {}),
      log,
    });
    bridge.attach(created.webContents);
    created.on('close', () => saveWindowState(dataDir, windowStateOf(created)));
    created.on('focus', () => menu.rebuild());
    created.on('closed', () => {
      if (win === created) win = null;
      menu.rebuild();
    });
    created.webContents.on('render-process-gone', (_event, details) => {
      if (details.reason === 'clean-exit') return;
      log.error('the window stopped unexpectedly', { reason: details.reason });
      dialog.showErrorBox(
        'The window stopped unexpectedly',
        'Every profile in it was signed out. The window will reload; sign in again to continue.',
      );
      if (!created.isDestroyed()) created.reload();
    });
    win = created;
    return created;
  };

  const settings = loadSettings(dataDir);
  const onCommand = (senderId: number, command: AccountMenuCommand) => {
    if (command.command === 'lock-all') void core.lockAll('lock-all').catch(() => log.warn('lock all failed'));
    bridge.send(senderId, 'menu:command', command);
  };
  const menu = new AccountMenuController({
    Menu: o.electron.Menu,
    core,
    platform: o.process.platform,
    appName: APP_NAME,
    maxProfiles: settings.maxProfilesPerWindow,
    // The OS language, as the renderer's 'system' choice follows it (app.getLocale() after ready).
    labels: accountMenuLabelsFor(app.getLocale()),
    focusedSenderId: () => (win && !win.isDestroyed() ? win.webContents.id : null),
    onCommand,
  });

  app.on('second-instance', (_event, argv) => {
    let second: ShellArgs;
    try {
      second = parseShellArgs(argv.slice(1));
    } catch {
      return;
    }
    if (second.lockAll) {
      void core.lockAll('lock-all').catch(() => log.warn('lock all failed'));
      return;
    }
    const w = win ?? openWindow();
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
  });
  app.on('window-all-closed', () => {
    if (o.process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (win === null) openWindow();
  });
  const stopPower = lockOnPowerEvents(o.electron.powerMonitor, core, log);

  let resolveShutdown: () => void = () => {};
  const shutdown = new Promise<void>((resolve) => (resolveShutdown = resolve));
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void (async () => {
      try {
        stopPower();
        menu.dispose();
        if (win && !win.isDestroyed()) {
          saveWindowState(dataDir, windowStateOf(win));
          await core.senderClosed(win.webContents.id);
        }
        bridge.dispose();
        await core.close();
        await keychain.close();
      } catch {
        log.error('shutdown did not finish cleanly');
      }
      resolveShutdown();
      app.quit();
    })();
  });

  openWindow();
  menu.start();
  return { args, dataDir, core, bridge, window: () => win, shutdown };
}

/** Shows why the app cannot start, then exits with status 1. Returns null for the caller. */
async function fail(o: MainProcessOptions, e: unknown, dataDir: string, log: Logger): Promise<null> {
  const f = describeStartupFailure(e, dataDir);
  log.error('start-up failed', { kind: f.kind, ...(f.kind === 'unexpected' ? { error: (e as Error)?.name } : {}) });
  await o.electron.dialog.showMessageBox({ type: 'error', title: f.title, message: f.message, detail: f.detail, buttons: ['Quit'] });
  o.electron.app.exit(1);
  return null;
}

/**
 * An error nobody caught is logged (class and code, never a message that may quote
 * a password) and shown in a dialog, so the person sees something rather than a
 * blank or frozen window.
 */
function installCrashReporting(o: MainProcessOptions, log: Logger): void {
  const report = (kind: string) => (e: unknown) => {
    log.error(kind, { error: e instanceof Error ? e.name : typeof e });
    o.electron.dialog.showErrorBox(
      'Something went wrong in Local Accounts',
      'An unexpected error occurred. If the app stops responding, quit and start it again; your accounts are safe.',
    );
  };
  o.process.on('uncaughtException', report('uncaught exception'));
  o.process.on('unhandledRejection', report('unhandled rejection'));
}
