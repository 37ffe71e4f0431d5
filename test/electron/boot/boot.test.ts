import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The boot test of the BUILT bundle: electron-vite builds main, preload and renderer
 * once (into .boot-build/out, so it never races other builds of out/), then a plain
 * Node child loads out/main/main.js with 'electron' resolved to the typed fake
 * (boot-child.ts). This catches what unit tests of the sources cannot: a missing
 * entry, a wrong relative path between bundles, a dependency that failed to
 * externalize, a preload that requires more than 'electron'.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const outDir = join(root, '.boot-build', 'out');
const require = createRequire(import.meta.url);

type Facts = Record<string, unknown> & {
  info: { ok: boolean; data: { setupRequired: boolean; keychain: { available: boolean; reason?: string } } };
  webPreferences: Record<string, unknown>;
};
let facts: Facts;
let appData: string;
let childStderr = '';

function runChild(): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'test/electron/boot/boot-child.ts'), join(outDir, 'main', 'main.js')],
      { cwd: root, env: { ...process.env, BOOT_APP_DATA: appData }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (childStderr += String(d)));
    child.on('error', reject);
    // It must exit by itself: a timer, worker or database left open would keep it alive.
    child.on('exit', (code) => resolvePromise({ code, stdout }));
  });
}

beforeAll(async () => {
  rmSync(join(root, '.boot-build'), { recursive: true, force: true });
  execFileSync(process.execPath, [join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    env: { ...process.env, LOCAL_ACCOUNTS_OUT_DIR: outDir },
    stdio: 'pipe',
  });
  appData = mkdtempSync(join(tmpdir(), 'boot-appdata-'));
  const { code, stdout } = await runChild();
  if (code !== 0) throw new Error(`boot child exited ${code}: ${childStderr.slice(-2000)}`);
  facts = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Facts;
}, 120_000);

afterAll(() => {
  rmSync(join(root, '.boot-build'), { recursive: true, force: true });
  if (appData) rmSync(appData, { recursive: true, force: true });
});

describe('boot of the built main bundle (plain Node, fake Electron)', () => {
  it('opens the real database in <appData>/Local Accounts', () => {
    expect(facts.dataDir).toBe(join(appData, 'Local Accounts'));
    expect(facts.userData).toBe(facts.dataDir);
    expect(facts.users).toBe(1); // the admin created through IPC below
  });

  it('creates one window with the secure options and loads the app:// index.html', () => {
    expect(facts.windows).toBe(1);
    expect(facts.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    expect(facts.size).toEqual({ width: 960, height: 640, minWidth: 720, minHeight: 520 });
    expect(facts.loaded).toEqual(['app://bundle/index.html']);
    expect(facts.sandboxed).toBe(true);
    expect(facts.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(facts.permissionHandlers).toBe(true);
    expect(facts.menuBuilt).toBe(true);
  });

  it('serves the built renderer through app:// and nothing outside it', () => {
    expect(facts.indexStatus).toBe(200);
    expect(facts.indexHasCsp).toBe(true);
    expect(facts.scriptStatus).toBe(200);
    expect(facts.scriptType).toBe('text/javascript; charset=utf-8');
    expect(facts.traversalStatus).not.toBe(200);
  });

  it('finds the built preload, which requires only electron', () => {
    expect(facts.preloadExists).toBe(true);
    expect(facts.preloadRequires).toEqual(['electron']);
  });

  it('answers app:info through the fake ipcMain into the real core; refuses a foreign frame', () => {
    expect(facts.info.ok).toBe(true);
    expect(facts.info.data.setupRequired).toBe(true);
    expect(facts.setupOk).toBe(true);
    expect(facts.foreignOk).toBe(false);
  });

  it('reaches the keychain worker script from the bundle', () => {
    expect(facts.workerScriptExists).toBe(true);
    // app:info's keychain state comes from the start-up probe, answered by OsKeychain inside
    // the worker thread (available, or e.g. "No D-Bus session…" without a session bus).
    // Had the bundle not found or loaded the script, the answer would be the helper's failure.
    expect(facts.info.data.keychain.reason ?? '').not.toMatch(/helper stopped unexpectedly/);
    if (!facts.info.data.keychain.available) expect(facts.info.data.keychain.reason).toMatch(/D-Bus|Secret Service|keychain|keyring/i);
  });

  it('shuts down cleanly on before-quit: sessions ended, handlers removed, database closed, process exits', () => {
    expect(facts.quits).toBe(1);
    expect(facts.exitCode).toBeNull();
    expect(facts.handlersAfterQuit).toBe(0);
    expect(facts.liveSessions).toBe(0);
    expect(facts.walLeft).toBe(false);
    expect(facts.errorBoxes).toEqual([]);
  });
});

describe('production index.html CSP', () => {
  it('is strict: self only, no inline or eval, no objects, no base, no framing', () => {
    const html = readFileSync(join(outDir, 'renderer', 'index.html'), 'utf8');
    const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1] ?? '';
    const directives = new Map(
      csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0], d.split(/\s+/).slice(1).join(' ')] as const),
    );
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*/);
    // Exactly the CSP written in renderer/index.html: the dev server's widening (the
    // dev-CSP plugin, `apply: 'serve'`) never reaches the build.
    const source = readFileSync(join(root, 'renderer', 'index.html'), 'utf8');
    expect(csp).toBe(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(source)?.[1]);
    expect(csp).not.toMatch(/sha256-|ws:/);
    // And the built page has no inline script or style for the CSP to block.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style[\s>]/i);
    expect(html).not.toMatch(/\sstyle="/i);
  });
});
