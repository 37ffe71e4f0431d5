import type { IpcMainInvokeEvent } from 'electron';

/** An origin the app trusts, compared by parsed protocol and host only. */
export interface TrustedOrigin {
  /** With the colon, as URL.protocol has it: 'app:'. */
  protocol: string;
  host: string;
}

export type SenderVerdict = { ok: true; senderId: number } | { ok: false; reason: string };

export type InvokeEventLike = Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender: { id: number } };

/**
 * Accepts an IPC call only from the app's own top frame in a window this app
 * created (Electron security checklist #17). Defends against:
 * - a sub-frame (an injected iframe) calling the bridge: `parent` must be null;
 * - a foreign page that got loaded anyway: the frame URL's protocol and host must be
 *   ours, compared after parsing, never by string prefix (`app://bundle.evil/`);
 * - a frame that navigated or was torn down mid-call: `senderFrame` null or detached;
 * - any other webContents (devtools, a future helper view): its id must be known.
 */
export function checkSender(
  event: InvokeEventLike,
  trusted: readonly TrustedOrigin[],
  isKnownSender: (id: number) => boolean,
): SenderVerdict {
  const frame = event.senderFrame;
  if (frame === null || frame === undefined) return { ok: false, reason: 'no sender frame' };
  if (frame.detached) return { ok: false, reason: 'detached frame' };
  if (frame.parent !== null) return { ok: false, reason: 'sub-frame' };
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return { ok: false, reason: 'unparsable frame URL' };
  }
  if (!trusted.some((t) => t.protocol === url.protocol && t.host === url.host)) {
    return { ok: false, reason: 'foreign origin' };
  }
  const id = event.sender.id;
  if (!isKnownSender(id)) return { ok: false, reason: 'unknown webContents' };
  return { ok: true, senderId: id };
}

/** The trusted origin of a URL we load ourselves (the app:// entry or the dev server). */
export function originOf(url: string): TrustedOrigin {
  const u = new URL(url);
  return { protocol: u.protocol, host: u.host };
}
