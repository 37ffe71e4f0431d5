/**
 * Broken Linux desktops for the keychain fault tests: child processes with no bus, a bus
 * with no Secret Service, a private gnome-keyring (locked or not), and fake buses that
 * accept connections and then say nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildArgs, ChildResult } from './keychain-fault-child';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CHILD = join(REPO_ROOT, 'test/reliability/support/keychain-fault-child.ts');
const WITH_KEYRING = join(REPO_ROOT, 'scripts/with-keyring.sh');

export function hasCommands(...names: string[]): boolean {
  return names.every((n) => spawnSync('sh', ['-c', `command -v ${n}`], { stdio: 'ignore' }).status === 0);
}

/** The environment of this process without any session bus (and not "inside" with-keyring.sh). */
export function envWithoutBus(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('DBUS_SESSION_BUS_ADDRESS' in extra)) delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.WITH_KEYRING_INNER;
  return env;
}

export interface ChildRun {
  result: ChildResult;
  /** null when the child was killed after answering (killAfterResult). */
  exitCode: number | null;
  elapsedMs: number;
  stderr: string;
}

export interface ChildOptions {
  env: NodeJS.ProcessEnv;
  /** A command the child runs under, e.g. dbus-run-session. */
  wrapper?: string[];
  args: ChildArgs;
  /** Kill the process group once the result is in (a thread stuck in libdbus delays exit). */
  killAfterResult?: boolean;
  /** Kill everything after this long (default 45 s). */
  guardMs?: number;
}

/** Runs keychain-fault-child.ts; rejects with its stderr when it fails or hangs. */
export function runFaultChild(o: ChildOptions): Promise<ChildRun> {
  const started = performance.now();
  const command = [...(o.wrapper ?? []), process.execPath, '--import', 'tsx', CHILD, JSON.stringify(o.args)];
  const [file, ...rest] = command as [string, ...string[]];
  return new Promise((done, fail) => {
    const child = spawn(file, rest, { cwd: REPO_ROOT, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let result: ChildResult | null = null;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const guard = setTimeout(killGroup, o.guardMs ?? 45_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{"result"'));
      if (line && !result) {
        result = (JSON.parse(line) as { result: ChildResult }).result;
        if (o.killAfterResult) killGroup();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      const elapsedMs = performance.now() - started;
      if (!result) return fail(new Error(`keychain child failed (${code ?? signal}) after ${elapsedMs} ms: ${stderr.slice(-3000)}`));
      if (!o.killAfterResult && code !== 0) {
        return fail(new Error(`keychain child exited ${code ?? signal}: ${stderr.slice(-3000)}`));
      }
      done({ result, exitCode: o.killAfterResult ? null : code, elapsedMs, stderr });
    });
  });
}

/** Under a private D-Bus session with a fresh, unlocked gnome-keyring (scripts/with-keyring.sh). */
export const PRIVATE_KEYRING = ['bash', WITH_KEYRING];

export { bareBus } from '../../support/bare-bus';

export interface FakeBus {
  address: string;
  /** Resolves with the first handshake line a client sent. */
  firstLine: Promise<string>;
  close(): Promise<void>;
}

/**
 * A unix socket that accepts connections and then:
 * - 'silent': never answers anything (libdbus would wait for AUTH's answer forever);
 * - 'stalling': completes the text handshake (OK, AGREE_UNIX_FD) and then never answers
 *   a message, so libdbus blocks in Hello() until its own 25 s reply timeout.
 */
export function fakeBus(kind: 'silent' | 'stalling'): Promise<FakeBus> {
  const dir = mkdtempSync(join(tmpdir(), `keychain-${kind}-bus-`));
  const path = join(dir, 'bus');
  const sockets = new Set<net.Socket>();
  let gotLine: (line: string) => void = () => {};
  const firstLine = new Promise<string>((r) => (gotLine = r));
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let text = '';
    let begun = false;
    socket.on('data', (chunk: Buffer) => {
      if (begun) return;
      text += chunk.toString('latin1');
      for (let end = text.indexOf('\r\n'); end >= 0 && !begun; end = text.indexOf('\r\n')) {
        const line = text.slice(0, end).replace(/^\0/, '');
        text = text.slice(end + 2);
        gotLine(line);
        if (kind === 'silent') continue;
        if (line.startsWith('AUTH')) socket.write('OK 0123456789abcdef0123456789abcdef\r\n');
        else if (line.startsWith('NEGOTIATE_UNIX_FD')) socket.write('AGREE_UNIX_FD\r\n');
        else if (line.startsWith('BEGIN')) begun = true;
      }
    });
  });
  return new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(path, () =>
      ready({
        address: `unix:path=${path}`,
        firstLine,
        close: () =>
          new Promise<void>((closed) => {
            for (const s of sockets) s.destroy();
            server.close(() => {
              rmSync(dir, { recursive: true, force: true });
              closed();
            });
          }),
      }),
    );
  });
}

/**
 * Lines of /proc/keys that name `text` (null when the kernel offers no /proc/keys). The
 * library's kernel-keyring store names its keys "keyring:<user>@<service>", and a key it
 * writes there is listed for every process of the same user (checked by hand with the
 * library's `keyutils` store), so an empty answer means nothing was stored there.
 */
export function kernelKeysNaming(text: string): string[] | null {
  try {
    return readFileSync('/proc/keys', 'utf8')
      .split('\n')
      .filter((line) => line.includes(text));
  } catch {
    return null;
  }
}
