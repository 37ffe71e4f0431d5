import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createCore, type Core, type CoreOptions } from '../electron/core/index';
import { loadSettings, type SettingsInput } from '../electron/core/settings';
import { contentTypeOf, resolveAssetPath } from '../electron/window/asset-path';
import { accountMenuLabelsFor, buildAccountMenuModel, type AccountMenuLabels, type AccountMenuModel } from '../electron/menu/account-menu-model';
import { bridgeScript, menubarStyles } from './bridge-script';
import { PreviewAccess } from './preview-access';

/**
 * The browser preview: a development tool that serves the production renderer build
 * (out/renderer) on 127.0.0.1 and carries `window.accounts` to the real core over a
 * WebSocket, so the app can be tried, tested end to end and screenshotted where
 * Electron cannot run. Never part of the packaged app. Who may connect: see
 * preview-access.ts.
 *
 * One browser tab = one WebSocket = one senderId (as one BrowserWindow is one
 * webContents in the app); when the socket closes (tab closed or reloaded) the
 * server calls core.senderClosed, which ends the tab's sessions.
 */

export interface PreviewOptions {
  /** Default: a free port. */
  port?: number;
  dataDir: string;
  settings?: Partial<SettingsInput>;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  /** Passed to createCore (tests inject a clock, scheduler, keychain, logger). */
  core?: Omit<CoreOptions, 'dataDir' | 'settings'>;
}

export interface PreviewServer {
  /** `http://127.0.0.1:PORT/?token=…`: the address to open. */
  url: string;
  origin: string;
  port: number;
  token: string;
  core: Core;
  /** senderIds of the open tabs. */
  senders(): number[];
  /** Closes every tab's socket (ending their sessions), the server and the core. */
  close(): Promise<void>;
}

const BRIDGE_PATH = '/__preview/bridge.js';
const STYLES_PATH = '/__preview/menubar.css';
const WS_PATH = '/__preview/ws';
const MAX_MESSAGE_BYTES = 1024 * 1024;


const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  const rendererDir = resolve(options.rendererDir);
  const indexFile = join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`No renderer build at ${rendererDir} (index.html missing): run \`npm run build:renderer\` first.`);
  }
  const settings = loadSettings(options.dataDir, options.settings);
  const core: Core = await createCore({ ...options.core, dataDir: options.dataDir, settings: options.settings });
  const access = new PreviewAccess();
  const script = bridgeScript();
  const styles = menubarStyles();
  const sockets = new Map<number, WebSocket>();
  const menus = new Map<number, string>();
  /** Each tab's menu words, from its browser's Accept-Language (as main uses the OS locale). */
  const menuLabels = new Map<number, Readonly<AccountMenuLabels>>();
  let nextSender = 1;

  const menuOf = (senderId: number): AccountMenuModel => {
    // The active profile is what the renderer reported through profiles:activate.
    return buildAccountMenuModel(core.profilesOf(senderId), core.activeProfileOf(senderId), {
      maxProfiles: settings.maxProfilesPerWindow,
      labels: menuLabels.get(senderId) ?? accountMenuLabelsFor(undefined),
    });
  };
  const send = (senderId: number, message: unknown): void => {
    const ws = sockets.get(senderId);
    if (ws && ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const refreshMenu = (senderId: number): void => {
    if (!sockets.has(senderId)) return;
    const menu = menuOf(senderId);
    const json = JSON.stringify(menu);
    if (menus.get(senderId) === json) return;
    menus.set(senderId, json);
    send(senderId, { t: 'menu', menu });
  };

  const unsubscribers = [
    core.onEvent((senderId, event, payload) => {
      send(senderId, { t: 'event', event, payload });
      refreshMenu(senderId);
    }),
    core.onProfilesChanged((senderId) => refreshMenu(senderId)),
  ];

  const indexHtml = (): string =>
    readFileSync(indexFile, 'utf8').replace(
      '</head>',
      `<link rel="stylesheet" href="${STYLES_PATH}"><script src="${BRIDGE_PATH}"></script></head>`,
    );

  const refuse = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${text}\n`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!access.hostAllowed(req)) return refuse(res, 421, 'Wrong Host header: open the address printed by npm run preview:web.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET.');
    const url = new URL(req.url ?? '/', access.origin);
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (!access.tokenMatches(offered)) return refuse(res, 403, 'Wrong token: open the address printed by npm run preview:web.');
      // Hand the token to an HttpOnly cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, { ...COMMON_HEADERS, 'set-cookie': access.setCookieHeader(), location: `${url.pathname}${url.search}` });
      return void res.end();
    }
    if (!access.cookieAllowed(req)) return refuse(res, 403, 'Open the address printed by npm run preview:web (it carries a token).');
    if (url.pathname === BRIDGE_PATH) return reply(res, contentTypeOf(BRIDGE_PATH), script);
    if (url.pathname === STYLES_PATH) return reply(res, contentTypeOf(STYLES_PATH), styles);
    const file = await staticFile(rendererDir, url.pathname);
    if (file === 'index') return reply(res, contentTypeOf('index.html'), indexHtml());
    if (file === null && url.pathname === '/favicon.ico') return void res.writeHead(204, COMMON_HEADERS).end();
    if (file === null) return refuse(res, 404, 'Not found.');
    res.writeHead(200, { ...COMMON_HEADERS, 'content-type': contentTypeOf(file) });
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => (res.headersSent ? res.destroy() : refuse(res, 500, 'The preview could not answer.')));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', access.origin).pathname;
    if (path !== WS_PATH || !access.hostAllowed(req) || !access.originAllowed(req) || !access.cookieAllowed(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const labels = accountMenuLabelsFor(req.headers['accept-language']);
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, labels));
  });

  const attach = (ws: WebSocket, labels: Readonly<AccountMenuLabels>): void => {
    const senderId = nextSender++;
    sockets.set(senderId, ws);
    menuLabels.set(senderId, labels);
    ws.on('message', (data) => {
      const m = parseMessage(data.toString());
      if (m === null) return void ws.close(1008, 'bad message');
      if (m.t === 'invoke') {
        void core.dispatch(senderId, m.channel, m.payload).then((reply) => {
          send(senderId, { t: 'reply', id: m.id, reply });
          refreshMenu(senderId);
        });
      } else {
        void chooseMenuItem(senderId, m.item);
      }
    });
    ws.on('close', () => {
      sockets.delete(senderId);
      menus.delete(senderId);
      menuLabels.delete(senderId);
      void core.senderClosed(senderId);
    });
    refreshMenu(senderId);
  };

  /** Same as main: only an enabled item of this tab's current menu; 'lock-all' runs in the server. */
  const chooseMenuItem = async (senderId: number, itemId: string): Promise<void> => {
    const item = menuOf(senderId).items.find((i) => i.id === itemId);
    if (!item || item.kind === 'separator' || !item.enabled) return;
    if (item.command.command === 'lock-all') await core.lockAll('lock-all');
    send(senderId, { t: 'event', event: 'menu:command', payload: item.command });
    refreshMenu(senderId);
  };

  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, '127.0.0.1', () => ok());
    });
  } catch (e) {
    for (const u of unsubscribers) u();
    await core.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  access.bind(port);

  let closing: Promise<void> | null = null;
  return {
    url: access.url,
    origin: access.origin,
    port,
    token: access.token,
    core,
    senders: () => [...sockets.keys()],
    close() {
      closing ??= (async () => {
        const ids = [...sockets.keys()];
        for (const ws of sockets.values()) ws.terminate();
        await Promise.all(ids.map((id) => core.senderClosed(id)));
        sockets.clear();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((ok) => server.close(() => ok()));
        for (const u of unsubscribers) u();
        await core.close();
      })();
      return closing;
    },
  };
}

function reply(res: ServerResponse, type: string | undefined, body: string): void {
  res.writeHead(200, { ...COMMON_HEADERS, 'content-type': type ?? 'text/plain' });
  res.end(body);
}

/**
 * A file under the build folder for a URL path, 'index' for the app page (and for
 * paths without an extension: client-side routes), or null. The same resolver as the
 * app:// protocol decides, so the preview refuses every traversal the app refuses.
 */
async function staticFile(root: string, pathname: string): Promise<string | 'index' | null> {
  if (pathname === '/' || pathname === '/index.html' || extname(pathname) === '') return 'index';
  const found = await resolveAssetPath(root, pathname);
  if (!found.ok) return null;
  return statSync(found.path).isFile() ? found.path : null;
}

type ClientMessage =
  | { t: 'invoke'; id: number; channel: string; payload: unknown }
  | { t: 'menu'; item: string };

function parseMessage(text: string): ClientMessage | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null) return null;
  const o = m as Record<string, unknown>;
  if (o.t === 'invoke' && Number.isSafeInteger(o.id) && typeof o.channel === 'string') {
    return { t: 'invoke', id: o.id as number, channel: o.channel, payload: o.payload };
  }
  if (o.t === 'menu' && typeof o.item === 'string') return { t: 'menu', item: o.item };
  return null;
}
