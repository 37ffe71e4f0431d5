import { realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * One resolver from a URL path to a file inside a build folder, for everything that
 * serves the renderer build: the app:// protocol (app-protocol.ts) and the browser
 * preview (preview/). No Electron import, so plain Node can use it.
 */

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
  '.map': 'application/json; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const deny = (status: 400 | 403 | 404, reason: string): AssetResolution => ({ ok: false, status, reason });

/**
 * Maps a URL path (as `URL.pathname` gives it, still percent-encoded) to a file inside
 * `root`, or refuses it. Defends against path traversal in every spelling that reaches
 * us: literal `..` segments (already folded by the URL parser, so they can only climb
 * to the root), percent-encoded `%2e%2e`, encoded separators `%2f` / `%5c`,
 * backslashes, absolute and drive paths, NUL bytes, and symlinks whose target lies
 * outside the build (checked on the real path, after resolution).
 */
export async function resolveAssetPath(root: string, pathname: string): Promise<AssetResolution> {
  const raw = pathname;
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
