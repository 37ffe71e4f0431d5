import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemoryKeychain } from '../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../electron/core/log';
import { channels } from '../../shared/contract';
import { startPreview, type PreviewServer } from '../../preview/preview-server';
import { launchChromium } from '../e2e/support/chromium';
import { STRONG_PASSWORD } from '../support/core-harness';

/**
 * The preview server on its own, against a stand-in renderer build (a page with the
 * app's CSP and an empty module), so these tests do not depend on the real screens.
 */

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

let root: string;
let preview: PreviewServer;

function fakeBuild(dir: string): void {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${CSP}"><title>t</title>` +
      `<script type="module" crossorigin src="./assets/app.js"></script></head><body><div id="root"></div></body></html>`,
  );
  writeFileSync(join(dir, 'assets', 'app.js'), 'document.getElementById("root").textContent = "app loaded";\n');
  writeFileSync(join(root, 'secret.txt'), 'outside the build');
}

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: preview.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function cookie(): Promise<string> {
  const r = await get(`/?token=${preview.token}`);
  const set = r.headers['set-cookie']?.[0] ?? '';
  return set.split(';')[0] as string;
}

/** Resolves with the HTTP status of the upgrade (101 when accepted). */
function upgrade(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${preview.port}/__preview/ws`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'preview-server-'));
  fakeBuild(join(root, 'build'));
  mkdirSync(join(root, 'data'));
  preview = await startPreview({
    dataDir: join(root, 'data'),
    rendererDir: join(root, 'build'),
    settings: { bcryptCost: 4 },
    core: { keychain: new MemoryKeychain(), logger: silentLogger },
  });
});

afterEach(async () => {
  await preview.close();
  rmSync(root, { recursive: true, force: true });
});

describe('who may connect', () => {
  it('listens on 127.0.0.1 only and prints that address with a token', async () => {
    expect(preview.url).toBe(`http://127.0.0.1:${preview.port}/?token=${preview.token}`);
    expect(preview.token.length).toBeGreaterThanOrEqual(32);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const status = await new Promise<string>((resolve) => {
        const req = request({ host: external.address, port: preview.port, path: '/' }, () => resolve('answered'));
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        req.end();
      });
      expect(status).toBe('ECONNREFUSED');
    }
  });

  it('refuses every request without the token, and a wrong token', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/__preview/bridge.js']) {
      expect((await get(path)).status, path).toBe(403);
    }
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get(`/?token=${preview.token}x`)).status).toBe(403);
    expect((await get('/', { cookie: `accounts-preview-${preview.port}=nope` })).status).toBe(403);
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const r = await get(`/?token=${preview.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
    const page = await get('/', { cookie: await cookie() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/__preview/bridge.js"></script>');
  });

  it('refuses a foreign Host header (DNS rebinding) even with the cookie', async () => {
    const c = await cookie();
    expect((await get('/', { cookie: c, host: `evil.example:${preview.port}` })).status).toBe(421);
    expect((await get('/', { cookie: c, host: `localhost:${preview.port}` })).status).toBe(421);
  });

  it('never serves a file outside the build folder', async () => {
    const c = await cookie();
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const r = await get(path, { cookie: c });
      expect(r.body, path).not.toContain('outside the build');
    }
  });

  it('accepts the WebSocket only from its own origin with the cookie', async () => {
    const c = await cookie();
    const origin = `http://127.0.0.1:${preview.port}`;
    expect(await upgrade({ cookie: c, origin })).toBe(101);
    expect(await upgrade({ origin })).toBe(403);
    expect(await upgrade({ cookie: c })).toBe(403);
    expect(await upgrade({ cookie: c, origin: 'http://127.0.0.1:1' })).toBe(403);
    expect(await upgrade({ cookie: c, origin: 'null' })).toBe(403);
    expect(await upgrade({ cookie: c, origin, host: `localhost:${preview.port}` })).toBe(403);
  });
});

describe('the socket protocol', () => {
  /** A tab without a browser: the cookie and Origin a page of the preview would send. */
  async function client(extra: Record<string, string> = {}) {
    const ws = new WebSocket(`ws://127.0.0.1:${preview.port}/__preview/ws`, {
      headers: { cookie: await cookie(), origin: `http://127.0.0.1:${preview.port}`, ...extra },
    });
    const messages: Record<string, unknown>[] = [];
    const waiters: (() => void)[] = [];
    ws.on('message', (d) => {
      messages.push(JSON.parse(d.toString()) as Record<string, unknown>);
      for (const w of waiters.splice(0)) w();
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const next = async (pred: (m: Record<string, unknown>) => boolean) => {
      for (;;) {
        const found = messages.find(pred);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    let id = 0;
    const invoke = async (channel: string, payload: unknown) => {
      const mine = ++id;
      ws.send(JSON.stringify({ t: 'invoke', id: mine, channel, payload }));
      return ((await next((m) => m.t === 'reply' && m.id === mine)).reply) as { ok: boolean; data: Record<string, unknown> };
    };
    return { ws, messages, next, invoke };
  }

  it("words each tab's menu in its browser's language (Accept-Language of the socket), English by default", async () => {
    const zh = await client({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    const en = await client({ 'accept-language': 'en-US,en;q=0.9' });
    const none = await client();
    const menuOf = async (c: typeof zh) => (await c.next((m) => m.t === 'menu')).menu as { label: string; items: { label?: string }[] };
    const zhMenu = await menuOf(zh);
    expect(zhMenu.label).toBe('账户');
    expect(zhMenu.items.map((i) => i.label).filter(Boolean)).toEqual(['未登录', '添加个人资料…', '锁定', '全部锁定', '退出登录']);
    expect((await menuOf(en)).label).toBe('Account');
    expect((await menuOf(none)).label).toBe('Account');
    for (const c of [zh, en, none]) c.ws.close();
  });

  it('runs only enabled items of the current menu; lock-all runs in the server, like main', async () => {
    const c = await client();
    const setup = await c.invoke('setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
    await c.invoke('profiles:activate', { sessionId: setup.data.sessionId });
    // Not items of this menu (or disabled): dropped. Then a real one.
    for (const item of ['profile:none', 'separator:actions', 'quit', 'profile:0000000000000000']) c.ws.send(JSON.stringify({ t: 'menu', item }));
    c.ws.send(JSON.stringify({ t: 'menu', item: 'lock-all' }));
    const first = await c.next((m) => m.t === 'event' && m.event === 'menu:command');
    expect(first.payload).toEqual({ command: 'lock-all' });
    const [sender] = preview.senders() as [number];
    expect(preview.core.profilesOf(sender)[0]?.locked).toBe(true);
    // Locked: "Lock All" is now disabled, so choosing it again does nothing; "Log Out" still works.
    c.ws.send(JSON.stringify({ t: 'menu', item: 'lock-all' }));
    c.ws.send(JSON.stringify({ t: 'menu', item: 'logout' }));
    await c.next((m) => m.t === 'event' && (m.payload as { command?: string }).command === 'logout');
    const commands = c.messages.filter((m) => m.t === 'event' && m.event === 'menu:command').map((m) => m.payload);
    expect(commands).toEqual([{ command: 'lock-all' }, { command: 'logout' }]);
    c.ws.close();
  });

  it('closes the socket on a message that is not the protocol, and ends its sessions', async () => {
    const c = await client();
    await c.invoke('setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
    const [sender] = preview.senders() as [number];
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    c.ws.send('{"t":"invoke","id":"x"}');
    expect(await closed).toBe(1008);
    await expect.poll(() => preview.core.profilesOf(sender)).toHaveLength(0);
  });
});

describe('in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });

  it("gives the page window.accounts with exactly the preload's shape and behaviour", async () => {
    const page = await browser.newPage();
    await page.goto(preview.url);
    await page.getByText('app loaded').waitFor();
    const shape = await page.evaluate(`(() => {
      const a = window.accounts;
      const throws = (fn) => { try { fn(); return null; } catch (e) { return String(e.message); } };
      return {
        keys: Object.keys(a).sort(),
        frozen: Object.isFrozen(a),
        replaceable: throws(() => { 'use strict'; window.accounts = null; }) === null && window.accounts === null,
        unknownChannel: throws(() => a.invoke('fs:read', {})),
        unknownEvent: throws(() => a.on('ipc:anything', () => {})),
        unsubscribeType: typeof a.on('session:ended', () => {}),
      };
    })()`);
    expect(shape).toEqual({
      keys: ['invoke', 'on'],
      frozen: true,
      replaceable: false,
      unknownChannel: 'Unknown channel: fs:read',
      unknownEvent: 'Unknown event: ipc:anything',
      unsubscribeType: 'function',
    });
    const info = (await page.evaluate(`window.accounts.invoke('app:info', {})`)) as { ok: boolean; data: { setupRequired: boolean } };
    expect(info).toMatchObject({ ok: true, data: { setupRequired: true } });
    // Every contract channel is known to the bridge (the list comes from shared/contract.ts).
    const known = await page.evaluate(
      `(${JSON.stringify(Object.keys(channels))}).filter((c) => { try { window.accounts.invoke(c, {}); return true; } catch { return false; } }).length`,
    );
    expect(known).toBe(Object.keys(channels).length);
    await page.close();
  });

  it('one tab is one sender; listeners get the payload only; closing the tab ends its sessions', async () => {
    const a = await browser.newPage();
    const b = await browser.newPage();
    await a.goto(preview.url);
    await b.goto(preview.url);
    await a.getByText('app loaded').waitFor();
    await b.getByText('app loaded').waitFor();
    await expect.poll(() => preview.senders().length).toBe(2);
    const [senderA, senderB] = preview.senders() as [number, number];
    const setup = (await a.evaluate(
      `window.accounts.invoke('setup:create-admin', { username: 'admin', password: ${JSON.stringify(STRONG_PASSWORD)} })`,
    )) as { ok: boolean; data: { sessionId: string } };
    expect(setup.ok).toBe(true);
    expect(preview.core.profilesOf(senderA)).toHaveLength(1);
    expect(preview.core.profilesOf(senderB)).toHaveLength(0);
    // Tab B cannot use tab A's session: another sender.
    const stolen = (await b.evaluate(`window.accounts.invoke('auth:activity', { sessionId: ${JSON.stringify(setup.data.sessionId)} })`)) as {
      ok: boolean;
      error: { code: string };
    };
    expect(stolen).toMatchObject({ ok: false, error: { code: 'SESSION_INVALID' } });
    // A listener receives exactly one argument: the event's payload.
    const received = a.evaluate(`new Promise((resolve) => {
      window.accounts.on('session:locked', (...args) => resolve({ count: args.length, payload: args[0] }));
    })`);
    await a.evaluate(`window.accounts.invoke('auth:lock', { sessionId: ${JSON.stringify(setup.data.sessionId)} })`);
    expect(await received).toMatchObject({ count: 1, payload: { sessionId: setup.data.sessionId, reason: 'manual' } });
    // Reloading is a new sender, and the old one is closed.
    await a.reload();
    await a.getByText('app loaded').waitFor();
    await expect.poll(() => preview.core.profilesOf(senderA)).toHaveLength(0);
    expect(preview.senders()).not.toContain(senderA);
    await b.close();
    await expect.poll(() => preview.senders()).not.toContain(senderB);
    await a.close();
  });

  it('draws the menubar in the tab\'s language: a zh-CN browser gets 账户', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(preview.url);
    await page.getByRole('menubar').getByRole('menuitem', { name: '账户' }).click();
    await expect.poll(() => page.getByRole('menuitemradio', { name: '未登录' }).count()).toBe(1);
    expect(await page.getByRole('menuitem', { name: '全部锁定' }).count()).toBe(1);
    await context.close();
  });

  it('draws the Account menubar from the menu model and sends its commands to the tab', async () => {
    const page = await browser.newPage();
    await page.goto(preview.url);
    const menubar = page.getByRole('menubar');
    const account = menubar.getByRole('menuitem', { name: 'Account' });
    await account.click();
    await expect.poll(() => page.getByRole('menuitemradio', { name: 'Not signed in' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    // The renderer reports its active profile (profiles:activate); Lock and Log Out act on it.
    await page.evaluate(`(async () => {
      const r = await window.accounts.invoke('setup:create-admin', { username: 'admin', displayName: 'Ada Admin', password: ${JSON.stringify(STRONG_PASSWORD)} });
      try { await window.accounts.invoke('profiles:activate', { sessionId: r.data.sessionId }); } catch { /* older core */ }
    })()`);
    const commands = page.evaluate(`new Promise((resolve) => { const got = []; window.accounts.on('menu:command', (p) => { got.push(p); if (got.length === 2) resolve(got); }); })`);
    await account.click();
    await expect.poll(() => page.getByRole('menuitemradio', { name: 'Ada Admin' }).getAttribute('aria-checked')).toBe('true');
    await page.getByRole('menuitem', { name: 'Log Out' }).click();
    await page.keyboard.press('Control+L');
    expect(await commands).toEqual([{ command: 'logout' }, { command: 'lock' }]);
    await account.click();
    expect(await page.getByRole('menuitem', { name: 'Lock', exact: true }).getAttribute('aria-keyshortcuts')).toBe('Control+L');
    await page.keyboard.press('Escape');
    // Keyboard only: Enter opens on the first item, arrows move (skipping separators), Escape returns focus.
    await account.focus();
    await page.keyboard.press('Enter');
    const focused = () => page.evaluate('document.activeElement.getAttribute("role") + ":" + document.activeElement.textContent');
    expect(await focused()).toBe('menuitemradio:Ada Adminadmin');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem:Add Profile…');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('menuitem:Log OutCtrl+Shift+Q');
    await page.keyboard.press('Escape');
    expect(await focused()).toBe('menuitem:Account');
    expect(await account.getAttribute('aria-expanded')).toBe('false');
    await page.close();
  });
});
