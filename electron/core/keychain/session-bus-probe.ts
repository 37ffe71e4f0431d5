import net from 'node:net';
import type { Scheduler } from '../clock';
import { KeychainUnavailableError } from './keychain';

/** Same sentence as reasonForKeyringError() gives for a socket that is not there. */
export const BUS_UNREACHABLE = 'The D-Bus session could not be reached, so the Secret Service cannot be used.';
export const BUS_SILENT = 'The D-Bus session does not answer, so the Secret Service cannot be used.';

export interface SessionBusProbeOptions {
  timeoutMs: number;
  scheduler: Scheduler;
  /** The uid sent in AUTH EXTERNAL; default process.getuid(). Only its presence matters here. */
  uid?: number;
}

/** The unix socket paths of a D-Bus address list (`unix:path=…;unix:abstract=…,guid=…`), in order. */
export function unixSocketsOf(address: string): string[] {
  const sockets: string[] = [];
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    if (colon < 0 || entry.slice(0, colon) !== 'unix') continue;
    for (const pair of entry.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const key = pair.slice(0, eq);
      let value: string;
      try {
        value = decodeURIComponent(pair.slice(eq + 1));
      } catch {
        continue;
      }
      if (value === '') continue;
      // Linux abstract sockets: Node takes them as a path starting with NUL.
      if (key === 'path') sockets.push(value);
      else if (key === 'abstract') sockets.push(`\0${value}`);
    }
  }
  return sockets;
}

/**
 * Answers once the session bus has gone through the text part of the D-Bus handshake
 * the way libdbus does it (AUTH EXTERNAL answered; after an OK, NEGOTIATE_UNIX_FD
 * answered too); rejects with KeychainUnavailableError when no socket of the address can
 * be connected to, or when the one that connects stays silent for timeoutMs.
 *
 * Why: libdbus, inside @napi-rs/keyring, connects SYNCHRONOUSLY and waits for each of
 * those answers without any time limit (measured: a socket that accepts and never answers
 * blocked the thread for minutes; only the Hello() call after the handshake has libdbus's
 * 25 s reply timeout). A wedged or stopped dbus-daemon, or a stale socket taken over by
 * something else, would block the calling thread forever; no promise timeout can
 * interrupt it, and a worker thread stuck there can be neither terminated nor joined at
 * exit. Asking first, asynchronously and with a deadline, keeps such a bus away from the
 * library. It proves liveness only at this moment: a bus that stalls later is left to the
 * caller's timeout and to libdbus's own 25 s.
 *
 * Addresses with no unix socket (tcp:, launchd:, unixexec:) are not checked.
 */
export async function checkSessionBus(address: string, options: SessionBusProbeOptions): Promise<void> {
  const sockets = unixSocketsOf(address);
  if (sockets.length === 0) return;
  const uid = options.uid ?? process.getuid?.() ?? 0;
  let silent = false;
  for (const socket of sockets) {
    const outcome = await handshake(socket, uid, options);
    if (outcome === 'answered') return;
    if (outcome === 'silent') silent = true;
  }
  throw new KeychainUnavailableError(silent ? BUS_SILENT : BUS_UNREACHABLE);
}

function handshake(
  socketPath: string,
  uid: number,
  { timeoutMs, scheduler }: SessionBusProbeOptions,
): Promise<'answered' | 'silent' | 'unreachable'> {
  return new Promise((resolve) => {
    let connected = false;
    let done = false;
    const socket = net.createConnection({ path: socketPath });
    const finish = (outcome: 'answered' | 'silent' | 'unreachable') => {
      if (done) return;
      done = true;
      cancel();
      socket.destroy();
      resolve(outcome);
    };
    const cancel = scheduler.after(timeoutMs, () => finish(connected ? 'silent' : 'unreachable'));
    socket.once('connect', () => {
      connected = true;
      // A NUL byte, then the first SASL command, as libdbus sends them.
      const hexUid = Buffer.from(String(uid), 'ascii').toString('hex');
      socket.write(`\0AUTH EXTERNAL ${hexUid}\r\n`);
    });
    let received = '';
    let authAnswered = false;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      for (let end = received.indexOf('\r\n'); end >= 0; end = received.indexOf('\r\n')) {
        const line = received.slice(0, end);
        received = received.slice(end + 2);
        // REJECTED/ERROR: libdbus gets an answer too and fails on its own, without hanging.
        if (authAnswered || !line.startsWith('OK')) return finish('answered');
        authAnswered = true;
        socket.write('NEGOTIATE_UNIX_FD\r\n');
      }
    });
    socket.once('error', () => finish(connected ? 'silent' : 'unreachable'));
    socket.once('close', () => finish(connected ? 'silent' : 'unreachable'));
  });
}
