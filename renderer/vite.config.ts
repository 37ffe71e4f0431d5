import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * The one renderer build. `npm run build:renderer` uses it directly; the
 * electron-vite config (electron.vite.config.ts) imports `rendererViteConfig`
 * for its renderer section, so the Electron build and the browser preview ship
 * the same bundle.
 *
 * `base: './'` keeps asset URLs relative, so the page works from the app
 * protocol, a file URL or the preview server alike. No inline script or style is
 * emitted (the CSP in index.html forbids both): module preload polyfill off.
 */
export const rendererRoot = import.meta.dirname;

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;

/** Adds `sources` to one directive of a CSP string (creating the directive if absent). */
function widen(csp: string, directive: string, sources: string[]): string {
  const parts = csp.split(';').map((d) => d.trim()).filter(Boolean);
  const at = parts.findIndex((d) => d.split(/\s+/)[0] === directive);
  if (at === -1) parts.push([directive, ...sources].join(' '));
  else parts[at] = [parts[at], ...sources].join(' ');
  return parts.join('; ');
}

/**
 * The CSP source for one inline script: 'sha256-…' of its exact text. Web Crypto
 * (global in Node too), since this file sits in renderer/, where lint bans Node built-ins.
 */
export async function scriptHash(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

/**
 * What `vite serve` (npm run dev) needs beyond the production CSP, and nothing
 * more: the React Refresh preamble, which @vitejs/plugin-react injects as one
 * inline module script, allowed by its sha256 (not 'unsafe-inline'); the HMR
 * WebSocket (ws:/wss:, connect-src); and the <style> elements through which the
 * dev server injects imported CSS (the build emits .css files instead).
 */
export async function devCsp(csp: string, preamble: string): Promise<string> {
  let out = widen(csp, 'script-src', [await scriptHash(preamble)]);
  out = widen(out, 'connect-src', ['ws:', 'wss:']);
  return widen(out, 'style-src', ["'unsafe-inline'"]);
}

/**
 * A dev-server-only plugin (`apply: 'serve'`: the build never runs it, so the
 * shipped index.html keeps exactly the CSP written in it). It rewrites the CSP
 * meta of the served page with devCsp(), hashing the preamble exactly as
 * plugin-react will inject it for the resolved base.
 */
export function devCspPlugin(): Plugin {
  let base = '/';
  return {
    name: 'local-accounts:dev-csp',
    apply: 'serve',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'pre',
      async handler(html) {
        const found = CSP_META.exec(html);
        if (!found) return html;
        const [meta, open, csp, close] = found as unknown as [string, string, string, string];
        const widened = await devCsp(csp, react.preambleCode.replace('__BASE__', base));
        return html.replace(meta, `${open}${widened}${close}`);
      },
    },
  };
}

export const rendererViteConfig: UserConfig = {
  root: rendererRoot,
  base: './',
  plugins: [react(), devCspPlugin()],
  build: {
    outDir: `${rendererRoot}/../out/renderer`,
    emptyOutDir: true,
    target: 'chrome130',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
};

export default defineConfig(rendererViteConfig);
