/**
 * Real child processes for the reliability tests: a tsx script under this Node (24),
 * from the repository root, with the OS keychain out of reach (no D-Bus address), so
 * nothing here can touch the developer's own keychain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Resolves once the process has exited and its pipes are drained. */
  finished: Promise<Finished>;
}

/** Starts `node --import tsx <script> ...args`; `input` (if any) is written to stdin, then closed. */
export function runScript(script: string, args: readonly string[], input?: string): Running {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.MANAGE_DEBUG;
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, script), ...args], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  child.stdin.end(input ?? '');
  const finished = new Promise<Finished>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout: out, stderr: err }));
  });
  return { child, stdout: () => out, finished };
}
