import { homedir } from 'node:os';
import { BrowserWindow, Menu, app, dialog, ipcMain, powerMonitor, protocol, screen, session, shell } from 'electron';
import { startMainProcess } from './main-process';

/**
 * Electron's main entry (out/main/main.js). The only file of the main process that
 * imports the real 'electron' module: everything else receives it, so unit tests
 * and the boot test pass a typed fake instead.
 */
void startMainProcess({
  electron: {
    app,
    BrowserWindow,
    ipcMain,
    protocol,
    // A getter: session.defaultSession only exists after `ready`.
    session: {
      get defaultSession() {
        return session.defaultSession;
      },
    },
    Menu,
    shell,
    dialog,
    powerMonitor,
    screen,
  },
  process,
  homedir: homedir(),
  mainDir: import.meta.dirname,
});
