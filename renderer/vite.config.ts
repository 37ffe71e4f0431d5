import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

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

export const rendererViteConfig: UserConfig = {
  root: rendererRoot,
  base: './',
  plugins: [react()],
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
