import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { iconPng } from '../../scripts/generate-icon';

/**
 * The packaging config (build/electron-builder.json) is validated by
 * electron-builder's own validator against its own JSON schema
 * (app-builder-lib/scheme.json), and its security settings are asserted.
 * Packaging itself needs Electron's download, which this machine cannot reach.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(`${root}build/electron-builder.json`, 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
};
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { main: string; scripts: Record<string, string>; productName: string };

interface ConfigModule {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
}
interface BuilderUtil {
  DebugLogger: new (enabled: boolean) => unknown;
}
const builderLib = require.resolve('app-builder-lib', { paths: [require.resolve('electron-builder')] });
const { validateConfiguration } = require(require.resolve('app-builder-lib/out/util/config/config.js', { paths: [builderLib] })) as ConfigModule;
const { DebugLogger } = require(require.resolve('builder-util', { paths: [builderLib] })) as BuilderUtil;
const validate = (c: unknown) => validateConfiguration(c, new DebugLogger(false));

describe('electron-builder config', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('the validator can fail (a misspelt key and a wrong type are refused)', async () => {
    await expect(validate({ ...config, asarUnpak: [] })).rejects.toThrow(/asarUnpak|unknown property|additional/i);
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } })).rejects.toThrow();
  });

  it('names the app and builds AppImage + deb, dmg and nsis', () => {
    expect(config).toMatchObject({
      appId: 'dev.local-accounts.desktop',
      productName: 'Local Accounts',
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
    expect(pkg.productName).toBe('Local Accounts');
  });

  it('flips the fuses: no runAsNode, NODE_OPTIONS or inspect; asar-only with integrity; encrypted cookies', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('unpacks the native modules and the keychain worker from asar', () => {
    for (const dep of ['better-sqlite3', 'bcrypt', '@napi-rs']) {
      expect(config.asarUnpack).toContain(`node_modules/${dep}/**`);
    }
    expect(config.asarUnpack).toContain('out/main/worker-keychain-thread.js');
    expect(config.asarUnpack).toContain('out/main/chunks/**');
  });

  it('starts from the built main bundle, with the documented scripts', () => {
    expect(pkg.main).toBe('out/main/main.js');
    expect(pkg.scripts).toMatchObject({
      build: 'electron-vite build',
      start: 'electron-vite build && electron .',
      dev: 'electron-vite dev',
    });
    expect(pkg.scripts.dist).toContain('electron-builder --config build/electron-builder.json');
  });

  it('ships the generated icon (512 x 512 PNG), up to date with its script', () => {
    const png = readFileSync(`${root}build/icon.png`);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    expect(png.equals(iconPng())).toBe(true);
  });
});
