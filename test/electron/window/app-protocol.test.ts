import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  appProtocolHandler,
  installAppProtocol,
  resolveAppAsset,
} from '../../../electron/window/app-protocol';
import { FakeProtocol } from '../../support/fake-electron';

// Created at load: the attack table below names paths under it.
const base = mkdtempSync(join(tmpdir(), 'app-protocol-'));
const root = join(base, 'renderer');

beforeAll(() => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'main.js'), 'export {};');
  writeFileSync(join(base, 'secret.txt'), 'outside the build');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link-out.txt'));
  symlinkSync(join(root, 'assets', 'main.js'), join(root, 'assets', 'link-in.js'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveAppAsset', () => {
  it('serves files of the build, and index.html for the root', async () => {
    expect(await resolveAppAsset(root, 'app://bundle/index.html')).toMatchObject({ ok: true, path: join(root, 'index.html') });
    expect(await resolveAppAsset(root, 'app://bundle/')).toMatchObject({ ok: true, path: join(root, 'index.html') });
    expect(await resolveAppAsset(root, 'app://bundle/assets/main.js?v=1#x')).toMatchObject({ ok: true });
    expect(await resolveAppAsset(root, 'app://bundle/assets/link-in.js')).toMatchObject({ ok: true });
  });

  it.each([
    ['a literal .. (folded by the URL parser to the root)', 'app://bundle/../secret.txt'],
    ['.. deep', 'app://bundle/assets/../../../../secret.txt'],
    ['%2e%2e', 'app://bundle/%2e%2e/secret.txt'],
    ['mixed .%2e', 'app://bundle/assets/.%2e/.%2e/secret.txt'],
    ['encoded slash %2f', 'app://bundle/..%2fsecret.txt'],
    ['encoded backslash %5c', 'app://bundle/..%5csecret.txt'],
    ['a backslash', 'app://bundle/..\\secret.txt'],
    ['double-encoded', 'app://bundle/%252e%252e/secret.txt'],
    ['an absolute path', `app://bundle/${join(base, 'secret.txt')}`],
    ['an encoded absolute path', `app://bundle/%2F${encodeURIComponent(join(base, 'secret.txt'))}`],
    ['a drive path', 'app://bundle/C:/Windows/win.ini'],
    ['a NUL byte', 'app://bundle/index.html%00.png'],
    ['a symlink out of the build', 'app://bundle/assets/link-out.txt'],
    ['another host', 'app://bundle.evil/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['a missing file', 'app://bundle/nope.js'],
    ['not a URL', '::::'],
  ])('refuses %s', async (_name, url) => {
    const r = await resolveAppAsset(root, url);
    expect(r.ok).toBe(false);
  });
});

describe('app:// protocol handler', () => {
  it('answers files with a type and nosniff, refusals without a body', async () => {
    const handler = appProtocolHandler(root);
    const ok = await handler(new Request('app://bundle/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toContain('<title>app</title>');
    const js = await handler(new Request('app://bundle/assets/main.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const out = await handler(new Request('app://bundle/assets/link-out.txt'));
    expect(out.status).toBe(403);
    expect(await out.text()).toBe('');
    const dir = await handler(new Request('app://bundle/assets'));
    expect(dir.status).toBe(404);
    const post = await handler(new Request('app://bundle/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });

  it('registers app as a standard, secure scheme and installs the handler', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    const protocol = new FakeProtocol();
    installAppProtocol(protocol, root);
    expect([...protocol.handlers.keys()]).toEqual(['app']);
  });
});
