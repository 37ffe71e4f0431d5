import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';

/**
 * Runs in a plain Node child process (with tsx for the fake's TypeScript): loads the
 * BUILT main bundle with 'electron' resolved to the fake, drives it like Electron
 * would, and prints one JSON line of facts for boot.test.ts to assert.
 * argv[2]: path of the built out/main/main.js. env BOOT_APP_DATA: the fake appData.
 */
register('./electron-resolve-hook.mjs', import.meta.url);
const mainJs = process.argv[2] as string;
const { fake } = await import('./fake-electron-module');
const { FakeBrowserWindow } = await import('../../support/fake-electron');

const windowCreated = once(FakeBrowserWindow.created, 'window') as Promise<[InstanceType<typeof FakeBrowserWindow>]>;
await import(pathToFileURL(mainJs).href);
const [win] = await windowCreated;

const APP = 'app://bundle/index.html';
const frame = { url: APP, parent: null, detached: false };
const invoke = (channel: string, payload: unknown) => fake.ipcMain.invoke(channel, win.webContents, frame, payload);

const handler = fake.protocol.handlers.get('app');
const index = handler ? await handler(new Request(APP)) : null;
const indexHtml = index ? await index.text() : '';
const scriptSrc = /<script[^>]+src="\.\/([^"]+)"/.exec(indexHtml)?.[1] ?? '';
const script = handler && scriptSrc ? await handler(new Request(`app://bundle/${scriptSrc}`)) : null;
const traversal = handler ? await handler(new Request('app://bundle/%2e%2e/main/main.js')) : null;

const info = (await invoke('app:info', {})) as { ok: boolean; data?: { setupRequired: boolean; keychain: { available: boolean; reason?: string } } };
const setup = (await invoke('setup:create-admin', { username: 'admin', password: 'correct horse battery staple 42' })) as { ok: boolean };
const foreign = (await fake.ipcMain.invoke('app:info', win.webContents, { ...frame, url: 'https://evil.example/' }, {})) as { ok: boolean };

const dataDir = join(process.env.BOOT_APP_DATA as string, 'Local Accounts');
const preload = String(win.options.webPreferences?.preload ?? '');
const quit = once(fake.app, 'did-quit');
fake.app.quit();
await quit;

// Before anything reopens it: the app's own close checkpointed and removed the WAL.
const walLeft = existsSync(join(dataDir, 'accounts.db-wal'));
const db = new Database(join(dataDir, 'accounts.db'), { readonly: true, fileMustExist: true });
const liveSessions = db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number };
const users = db.prepare('SELECT count(*) AS n FROM users').get() as { n: number };
db.close();

process.stdout.write(
  `${JSON.stringify({
    windows: fake.windows().length,
    webPreferences: win.options.webPreferences,
    size: { width: win.options.width, height: win.options.height, minWidth: win.options.minWidth, minHeight: win.options.minHeight },
    loaded: win.loaded,
    privileged: fake.protocol.privileged,
    sandboxed: fake.app.sandboxed,
    userData: fake.app.getPath('userData'),
    dataDir,
    preloadExists: existsSync(preload),
    preloadRequires: [...readFileSync(preload, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]),
    workerScriptExists: existsSync(join(dirname(mainJs), 'worker-keychain-thread.js')),
    indexStatus: index?.status,
    indexHasCsp: indexHtml.includes('Content-Security-Policy'),
    scriptStatus: script?.status,
    scriptType: script?.headers.get('content-type'),
    traversalStatus: traversal?.status,
    info,
    setupOk: setup.ok,
    foreignOk: foreign.ok,
    permissionHandlers: fake.defaultSession.requestHandler !== null && fake.defaultSession.checkHandler !== null,
    menuBuilt: fake.Menu.current !== null,
    quits: fake.app.quits,
    exitCode: fake.app.exitCode,
    handlersAfterQuit: fake.ipcMain.handlers.size,
    liveSessions: liveSessions.n,
    users: users.n,
    walLeft,
    errorBoxes: fake.dialog.errorBoxes,
  })}\n`,
);
