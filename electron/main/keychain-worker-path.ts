import { join, sep } from 'node:path';

export const KEYCHAIN_WORKER_FILE = 'worker-keychain-thread.js';

/**
 * Where the keychain worker thread's script is at run time: built as its own entry
 * next to the main bundle (out/main/). In a packaged app the main bundle lives in
 * app.asar, but a worker thread and the native @napi-rs/keyring binding it loads
 * must be real files, so the script is unpacked (asarUnpack) and read from
 * app.asar.unpacked. In development (`npm start`, `npm run dev`) it is simply
 * out/main/worker-keychain-thread.js.
 */
export function keychainWorkerScript(mainDir: string): string {
  const asar = `${sep}app.asar${sep}`;
  const dir = `${mainDir}${sep}`.includes(asar) ? `${mainDir}${sep}`.replace(asar, `${sep}app.asar.unpacked${sep}`) : `${mainDir}${sep}`;
  return join(dir, KEYCHAIN_WORKER_FILE);
}
