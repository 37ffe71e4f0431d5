import { parentPort, workerData } from 'node:worker_threads';
import { timerScheduler } from '../clock';
import { asKeychainUnavailable } from './keychain';
import { OsKeychain } from './os-keychain';
import { checkSessionBus } from './session-bus-probe';
import type { KeychainRequest, KeychainResponse, WorkerKeychainData } from './worker-keychain';

/**
 * The worker thread of WorkerKeychain: it owns the one OsKeychain, so the library's
 * synchronous D-Bus work (entry construction connects and waits) blocks this thread,
 * never the main process. Requests run one at a time, in order.
 *
 * On Linux each call first checks that the session bus answers its handshake (with a
 * deadline), so a bus that accepts and never answers cannot wedge this thread inside
 * libdbus, where even Worker.terminate() cannot reach it.
 *
 * Replies carry the KeychainUnavailableError's reason only: library messages (socket and
 * object paths) stay here.
 */
const data = workerData as WorkerKeychainData;
const keychain = new OsKeychain();

async function run(request: KeychainRequest): Promise<unknown> {
  const address = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (process.platform === 'linux' && address) {
    await checkSessionBus(address, { timeoutMs: data.busCheckTimeoutMs, scheduler: timerScheduler });
  }
  switch (request.op) {
    case 'get':
      return keychain.getPassword(request.service, request.account);
    case 'set':
      return keychain.setPassword(request.service, request.account, request.secret);
    case 'delete':
      return keychain.deletePassword(request.service, request.account);
    case 'find':
      return keychain.findCredentials(request.service);
  }
}

let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (request: KeychainRequest) => {
  queue = queue.then(async () => {
    let response: KeychainResponse;
    try {
      response = { id: request.id, ok: true, value: await run(request) };
    } catch (err) {
      response = { id: request.id, ok: false, reason: asKeychainUnavailable(err).reason };
    }
    parentPort?.postMessage(response);
  });
});
