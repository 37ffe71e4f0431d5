import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';

/**
 * The renderer is served from `app://bundle/…`, never from file://: a custom scheme
 * gives the page a real origin for CSP 'self', keeps file:// (and every other local
 * file) out of reach, and lets one resolver decide what may be read.
 *
 * Note: `new URL('app://bundle/x').origin` is 'null' for custom schemes, so every
 * check compares `protocol` and `host`, never origins or string prefixes
 * (`app://bundle.evil/` starts with `app://bundle`).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Registered before `ready`: standard (real URLs, relative paths), secure (like https). */
export const APP_SCHEME_PRIVILEGES: readonly CustomScheme[] = Object.freeze([
  Object.freeze({
    scheme: APP_SCHEME,
    privileges: Object.freeze({ standard: true, secure: true, supportFetchAPI: true, codeCache: true }),
  }),
]);

export type AssetResolution = { ok: true; path: string } | { ok: false; status: 400 | 403 | 404; reason: string };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const deny = (status: 400 | 403 | 404, reason: string): AssetResolution => ({ ok: false, status, reason });

/**
 * Maps an `app://bundle/<path>` URL to a file inside `root` (the renderer build), or
 * refuses it. Defends against path traversal in every spelling that reaches us:
 * literal `..` segments (already folded by the URL parser, so they can only climb to
 * the root), percent-encoded `%2e%2e`, encoded separators `%2f` / `%5c`, backslashes,
 * absolute and drive paths, NUL bytes, another scheme or host, and symlinks whose
 * target lies outside the build (checked on the real path, after resolution).
 */
export async function resolveAppAsset(root: string, requestUrl: string): Promise<AssetResolution> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return deny(400, 'not a URL');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return deny(403, 'foreign scheme or host');
  const raw = url.pathname;
  // Encoded separators, dots and NUL are never legitimate in our asset names.
  if (/%(2f|5c|2e|00)/i.test(raw) || raw.includes('\\') || raw.includes('\0')) return deny(400, 'encoded path characters');
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return deny(400, 'bad percent-encoding');
  }
  if (decoded.includes('\0')) return deny(400, 'NUL in path');
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return deny(400, 'dot segment');
  if (segments.length > 0 && /^[a-z]:/i.test(segments[0] ?? '')) return deny(400, 'drive path');
  const relPath = segments.length === 0 ? 'index.html' : segments.join('/');
  if (isAbsolute(relPath)) return deny(400, 'absolute path');

  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return deny(404, 'renderer build missing');
  }
  const candidate = resolve(realRoot, relPath);
  if (!inside(realRoot, candidate)) return deny(403, 'outside the build');
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return deny(404, 'not found');
  }
  // A symlink inside the build must not lead out of it.
  if (!inside(realRoot, real)) return deny(403, 'symlink out of the build');
  return { ok: true, path: real };
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** Security headers on every answer; the CSP itself is the meta tag of index.html. */
const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' } as const;

/** The protocol handler: only GET/HEAD, only files the resolver allows, no directory listings. */
export function appProtocolHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: BASE_HEADERS });
    }
    const found = await resolveAppAsset(root, request.url);
    if (!found.ok) return new Response(null, { status: found.status, headers: BASE_HEADERS });
    try {
      const body = await readFile(found.path);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...BASE_HEADERS, 'Content-Type': contentTypeOf(found.path) },
      });
    } catch {
      // A directory, or a file that vanished between resolve and read.
      return new Response(null, { status: 404, headers: BASE_HEADERS });
    }
  };
}

/** Installs the handler on the default session's protocol (after `ready`). */
export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(root));
}
