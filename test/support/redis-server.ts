import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free loopback port (the OS picks one; it is released before redis-server binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server this test started: loopback only, in its own temporary folder, no
 * persistence (--save '' --appendonly no). Tests never use a Redis they did not start.
 */
export class TestRedis {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'test-redis-'));
  private readonly clients: Redis[] = [];

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedis> {
    const r = new TestRedis(await freePort());
    await r.launch();
    return r;
  }

  /** On a given port (a test that first saw it unused). */
  static async startOn(port: number): Promise<TestRedis> {
    const r = new TestRedis(port);
    await r.launch();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A plain client for the test's own commands (redis-cli's role): closed by stop(). */
  admin(): Redis {
    const c = new Redis({ host: '127.0.0.1', port: this.port, lazyConnect: false, maxRetriesPerRequest: null });
    c.on('error', () => {});
    this.clients.push(c);
    return c;
  }

  /** Starts the server on the same port; resolves once it accepts connections. */
  async launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir,
        '--enable-debug-command', 'local'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) {
          child.stdout?.off('data', onData);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
      child.once('error', reject);
    });
    child.stdout?.resume();
    child.stderr?.resume();
  }

  /** SIGKILL: the server dies with everything it held (no persistence). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    for (const c of this.clients.splice(0)) c.disconnect();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Waits (on real events, polling the condition) until `check` is true; fails after `tries`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
