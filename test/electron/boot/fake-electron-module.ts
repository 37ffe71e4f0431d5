import { FakeElectron } from '../../support/fake-electron';

/**
 * What `import … from 'electron'` gives the built main bundle in the boot test: the
 * members of one FakeElectron, whose user folders live under BOOT_APP_DATA.
 */
const appData = process.env.BOOT_APP_DATA;
if (!appData) throw new Error('BOOT_APP_DATA is not set');

export const fake = new FakeElectron({ appData });
const api = fake.api;
export const app = api.app;
export const BrowserWindow = api.BrowserWindow;
export const ipcMain = api.ipcMain;
export const protocol = api.protocol;
export const session = api.session;
export const Menu = api.Menu;
export const shell = api.shell;
export const dialog = api.dialog;
export const powerMonitor = api.powerMonitor;
export const screen = api.screen;
