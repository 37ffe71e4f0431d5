import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { resolveConfig, type Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { devCsp, devCspPlugin, rendererRoot, scriptHash } from '../../renderer/vite.config';

const source = readFileSync(join(rendererRoot, 'index.html'), 'utf8');
const cspOf = (html: string) => /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1] ?? '';
const directive = (csp: string, name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.split(/\s+/)[0] === name) ?? '';

/** Runs the plugin's transformIndexHtml as Vite would after resolving `base`. */
function transform(plugin: Plugin, html: string, base = '/'): Promise<string> {
  const resolved = plugin.configResolved as unknown as (c: { base: string }) => void;
  resolved({ base });
  const hook = plugin.transformIndexHtml as { handler: (html: string) => Promise<string> };
  return hook.handler(html);
}

describe('renderer dev-server CSP plugin', () => {
  it('runs only under `vite serve`: the build never sees it', async () => {
    expect(devCspPlugin().apply).toBe('serve');
    const configFile = join(rendererRoot, 'vite.config.ts');
    const build = await resolveConfig({ configFile, logLevel: 'silent' }, 'build', 'production');
    const serve = await resolveConfig({ configFile, logLevel: 'silent' }, 'serve', 'development');
    expect(build.plugins.map((p) => p.name)).not.toContain('local-accounts:dev-csp');
    expect(serve.plugins.map((p) => p.name)).toContain('local-accounts:dev-csp');
  });

  it("adds exactly the preamble's hash, the HMR socket and dev <style> injection, keeping every other directive", async () => {
    const prod = cspOf(source);
    const dev = cspOf(await transform(devCspPlugin(), source));
    const preamble = react.preambleCode.replace('__BASE__', '/');
    expect(directive(dev, 'script-src')).toBe(`script-src 'self' ${await scriptHash(preamble)}`);
    expect(directive(dev, 'script-src')).not.toMatch(/unsafe/);
    expect(directive(dev, 'connect-src')).toBe(`${directive(prod, 'connect-src')} ws: wss:`);
    expect(directive(dev, 'style-src')).toBe(`${directive(prod, 'style-src')} 'unsafe-inline'`);
    for (const name of ['default-src', 'img-src', 'object-src', 'base-uri', 'frame-ancestors', 'form-action']) {
      expect(directive(dev, name), name).toBe(directive(prod, name));
    }
    expect(await devCsp(prod, preamble)).toBe(dev);
  });

  it('hashes the exact text of the inline preamble (a known sha256)', async () => {
    expect(await scriptHash('alert(1)')).toBe("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
  });
});
