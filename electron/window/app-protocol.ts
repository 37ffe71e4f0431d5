import { readFile } from 'node:fs/promises';
import type { CustomScheme, Protocol } from 'electron';
import { contentTypeOf, resolveAssetPath, type AssetResolution } from './asset-path';

export { contentTypeOf, type AssetResolution } from './asset-path';

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

/**
 * Maps an `app://bundle/<path>` URL to a file inside `root` (the renderer build), or
 * refuses it: another scheme or host here, every spelling of path traversal (encoded
 * dots and separators, absolute and drive paths, NUL, symlinks out of the build) in
 * resolveAssetPath, which the browser preview uses too.
 */
export async function resolveAppAsset(root: string, requestUrl: string): Promise<AssetResolution> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 403, reason: 'foreign scheme or host' };
  return resolveAssetPath(root, url.pathname);
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
