import { execFileSync } from 'node:child_process';
import { parentPort } from 'node:worker_threads';
import type { KeychainRequest, KeychainResponse } from '../../../electron/core/keychain/worker-keychain';

/**
 * A stand-in for worker-keychain-thread.ts, to drive WorkerKeychain's thread handling
 * without D-Bus. The request's service says what to do:
 * - 'block:<ms>': block this thread synchronously (a child `sleep`, which, like a native
 *   libdbus wait, Worker.terminate() cannot interrupt), then answer;
 * - 'silent': never answer (the thread stays interruptible);
 * - 'fail:<reason>': answer with that unavailable reason;
 * - 'crash': throw an uncaught error (the thread dies);
 * - anything else: answer with the service name.
 */
parentPort?.on('message', (request: KeychainRequest) => {
  const { service } = request;
  const reply = (response: KeychainResponse) => parentPort?.postMessage(response);
  if (service.startsWith('block:')) {
    execFileSync('sleep', [String(Number(service.slice(6)) / 1000)]);
    reply({ id: request.id, ok: true, value: 'late' });
  } else if (service === 'silent') {
    return;
  } else if (service.startsWith('fail:')) {
    reply({ id: request.id, ok: false, reason: service.slice(5) });
  } else if (service === 'crash') {
    throw new Error('scripted thread crash: /run/user/0/bus secret-detail');
  } else {
    reply({ id: request.id, ok: true, value: service });
  }
});
