import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  private constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[] = [],
  ) {}

  /**
   * A TLS-only server (no plain port) with a throwaway CA and a certificate for
   * localhost / 127.0.0.1, made with openssl in the server's folder. `caFile` is the CA.
   */
  static async startTls(): Promise<{ redis: TestRedis; caFile: string }> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'test-redis-tls-'));
    const ssl = (...args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
    };
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Test CA');
    ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem',
      '-days', '1', '-extfile', 'san.ext');
    const r = new TestRedis(port, [
      '--port', '0', '--tls-port', String(port), '--tls-cert-file', join(dir, 'server.pem'),
      '--tls-key-file', join(dir, 'server.key'), '--tls-ca-cert-file', join(dir, 'ca.pem'), '--tls-auth-clients', 'no',
    ]);
    r.extraDirs.push(dir);
    await r.launch();
    return { redis: r, caFile: join(dir, 'ca.pem') };
  }

  private readonly extraDirs: string[] = [];

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
        '--enable-debug-command', 'local', ...this.extraArgs],
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
      child.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'ENOENT' ? new Error('redis-server is not installed (Debian: apt-get install redis-server)') : e),
      );
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
    for (const d of [this.dir, ...this.extraDirs]) rmSync(d, { recursive: true, force: true });
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
