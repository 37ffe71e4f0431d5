import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisTlsSettings {
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  servername?: string | undefined;
  rejectUnauthorized?: boolean | undefined;
}

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * Parses redis://[user[:password]@]host[:port][/db] and rediss:// (TLS). Returns the
 * problem in words (never quoting the URL: it may hold a password), or the target.
 */
export function parseRedisUrl(url: string): RedisTarget | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a valid URL (expected redis://[user:password@]host[:port][/db] or rediss://...)';
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return 'must start with redis:// or rediss:// (TLS)';
  if (!u.hostname) return 'has no host';
  if (u.search || u.hash) return 'must not have a query or fragment (TLS files go in "redisTls")';
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,2}$/.test(path)) return 'has a database path that is not a number 0-99';
  const target: RedisTarget = {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port === '' ? 6379 : Number(u.port),
    db: path === '' ? 0 : Number(path),
    tls: u.protocol === 'rediss:',
  };
  if (u.username) target.username = decodeURIComponent(u.username);
  if (u.password) target.password = decodeURIComponent(u.password);
  return target;
}

/** The URL as it may appear in logs and reports: the password replaced. */
export function redactRedisUrl(url: string): string {
  const t = parseRedisUrl(url);
  if (typeof t === 'string') return '(invalid redis URL)';
  const user = t.username ? `${encodeURIComponent(t.username)}${t.password ? ':***' : ''}@` : t.password ? ':***@' : '';
  return `${t.tls ? 'rediss' : 'redis'}://${user}${t.host}:${t.port}/${t.db}`;
}

export interface ConnectOptions {
  url: string;
  tls?: RedisTlsSettings | undefined;
  /** A command without an answer in this time fails (a stalled server must not hang a call). */
  commandTimeoutMs: number;
  /** Stations' client name in CLIENT LIST: which machine holds a connection. */
  name?: string;
}

/** Reconnect delay: exponential from 100 ms, capped at 5 s, never giving up. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt - 1, 6), 5000);
}

/**
 * Builds the client (lazy: nothing connects until connect()). Commands are never queued
 * while disconnected (enableOfflineQueue false): a call fails at once with
 * STORE_UNAVAILABLE instead of hanging, and the store's own journal replays writes.
 */
export function createRedisClient(o: ConnectOptions): Redis {
  const t = parseRedisUrl(o.url);
  if (typeof t === 'string') throw new Error(`redisUrl ${t}`);
  const options: RedisOptions = {
    host: t.host,
    port: t.port,
    db: t.db,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: o.commandTimeoutMs,
    connectTimeout: Math.max(o.commandTimeoutMs, 1000),
    retryStrategy: reconnectDelay,
  };
  if (o.name) options.connectionName = o.name;
  if (t.username) options.username = t.username;
  if (t.password) options.password = t.password;
  if (t.tls) options.tls = tlsOptions(o.tls ?? {}, t.host);
  return new Redis(options);
}

/** Thrown for a TLS file that cannot be read (the composition root reports it as a settings error). */
export class RedisTlsFileError extends Error {}

function tlsOptions(s: RedisTlsSettings, host: string): ConnectionOptions {
  const tls: ConnectionOptions = { servername: s.servername ?? host, rejectUnauthorized: s.rejectUnauthorized ?? true };
  const read = (key: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (e) {
      throw new RedisTlsFileError(`"redisTls.${key}" cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}): ${path}`);
    }
  };
  if (s.caFile) tls.ca = read('caFile', s.caFile);
  if (s.certFile) tls.cert = read('certFile', s.certFile);
  if (s.keyFile) tls.key = read('keyFile', s.keyFile);
  return tls;
}
