import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the preview server. It carries `window.accounts` to the real core,
 * so any page or process that reached it could sign in, read sessions and change
 * passwords. Three walls, all required:
 *
 * - Loopback only: the server binds 127.0.0.1 (never 0.0.0.0), so nothing off the
 *   machine can connect.
 * - Host header: exactly `127.0.0.1:PORT`. Defends against DNS rebinding, where a
 *   remote page makes its own host name resolve to 127.0.0.1 and then talks to us
 *   "same-origin" from the browser's point of view.
 * - A random per-run token: presented once in the printed URL, then kept in an
 *   HttpOnly, SameSite=Strict cookie named after the port. Every request and the
 *   WebSocket upgrade need it. Defends against other local processes and other
 *   local pages (a page on another port is another origin: it cannot read the token
 *   and a cross-site request does not carry a Strict cookie).
 * - Origin on the WebSocket upgrade: exactly `http://127.0.0.1:PORT`. Browsers do not
 *   apply the same-origin policy to WebSockets, so without this any page the user
 *   opens could connect (cookies are sent on same-site WebSocket handshakes).
 */
export class PreviewAccess {
  readonly token = randomBytes(24).toString('base64url');
  private port = 0;

  /** Called once the server is listening and the port is known. */
  bind(port: number): void {
    this.port = port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get cookieName(): string {
    return `accounts-preview-${this.port}`;
  }

  /** The address to open: it hands the token over once, then the cookie carries it. */
  get url(): string {
    return `${this.origin}/?token=${this.token}`;
  }

  hostAllowed(req: IncomingMessage): boolean {
    return req.headers.host === `127.0.0.1:${this.port}`;
  }

  originAllowed(req: IncomingMessage): boolean {
    return req.headers.origin === this.origin;
  }

  /** The token from the cookie header, compared in constant time. */
  cookieAllowed(req: IncomingMessage): boolean {
    const header = req.headers.cookie ?? '';
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      if (part.slice(0, eq).trim() === this.cookieName && this.tokenMatches(part.slice(eq + 1).trim())) return true;
    }
    return false;
  }

  tokenMatches(candidate: string): boolean {
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  setCookieHeader(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
