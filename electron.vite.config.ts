import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererViteConfig } from './renderer/vite.config';

/**
 * One build for the desktop app (`npm run build`), into out/:
 * - out/main/main.js: the main process (ESM, Node built-ins and npm dependencies
 *   external: better-sqlite3, bcrypt and @napi-rs/keyring stay real packages);
 * - out/main/worker-keychain-thread.js: the keychain worker thread, its own entry
 *   so WorkerKeychain finds it beside the main bundle (unpacked from asar);
 * - out/preload/preload.cjs: the sandboxed preload, one CommonJS file that
 *   requires only 'electron' (a sandboxed preload cannot load anything else);
 * - out/renderer/: the renderer, built with renderer/vite.config.ts's settings, so
 *   the browser preview and the app ship the same bundle.
 */
const root = import.meta.dirname;
/** Where the three builds go; the boot test builds into its own folder so it never races other builds of out/. */
const outRoot = resolve(root, process.env.LOCAL_ACCOUNTS_OUT_DIR ?? 'out');

export const electronViteConfig = defineConfig({
  main: {
    build: {
      outDir: resolve(outRoot, 'main'),
      externalizeDeps: true,
      sourcemap: false,
      rollupOptions: {
        input: {
          main: resolve(root, 'electron/main/main.ts'),
          'worker-keychain-thread': resolve(root, 'electron/core/keychain/worker-keychain-thread.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(outRoot, 'preload'),
      externalizeDeps: false,
      sourcemap: false,
      rollupOptions: {
        input: { preload: resolve(root, 'electron/preload/preload.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererViteConfig,
    // Absolute paths: electron-vite loads this file from a bundled copy elsewhere.
    root: resolve(root, 'renderer'),
    build: {
      ...rendererViteConfig.build,
      outDir: resolve(outRoot, 'renderer'),
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});

export default electronViteConfig;
