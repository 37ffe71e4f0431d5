import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rectangle } from 'electron';

/** Frame sizes from the UI notes: default 960 x 640, never smaller than 720 x 520. */
export const DEFAULT_SIZE = Object.freeze({ width: 960, height: 640 });
export const MIN_SIZE = Object.freeze({ width: 720, height: 520 });
export const WINDOW_STATE_FILE = 'window-state.json';

export interface WindowState {
  bounds: Rectangle | null;
  maximized: boolean;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6;

/**
 * Bounds from a previous run, if they still make sense: a hand-edited or truncated
 * file, a size below the minimum, or a position on a display that is gone (the
 * window would open off-screen) all fall back to the default, centred by the OS.
 */
export function parseWindowState(text: string, workAreas: readonly Rectangle[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { bounds: null, maximized: false };
  }
  const o = (raw ?? {}) as { bounds?: Partial<Rectangle>; maximized?: unknown };
  const maximized = o.maximized === true;
  const b = o.bounds;
  if (!b || !finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height)) return { bounds: null, maximized };
  const bounds = {
    x: Math.round(b.x),
    y: Math.round(b.y),
    width: Math.max(MIN_SIZE.width, Math.round(b.width)),
    height: Math.max(MIN_SIZE.height, Math.round(b.height)),
  };
  return { bounds: visibleOnSome(bounds, workAreas) ? bounds : null, maximized };
}

/** At least a 100 x 50 corner of the title bar area lies on some display. */
function visibleOnSome(b: Rectangle, areas: readonly Rectangle[]): boolean {
  return areas.some((a) => {
    const w = Math.min(b.x + b.width, a.x + a.width) - Math.max(b.x, a.x);
    const h = Math.min(b.y + 50, a.y + a.height) - Math.max(b.y, a.y);
    return w >= 100 && h >= 50;
  });
}

export function loadWindowState(dataDir: string, workAreas: readonly Rectangle[]): WindowState {
  try {
    return parseWindowState(readFileSync(join(dataDir, WINDOW_STATE_FILE), 'utf8'), workAreas);
  } catch {
    return { bounds: null, maximized: false };
  }
}

/** Written via a temp file and rename, so a crash mid-write leaves the old state, not half a file. */
export function saveWindowState(dataDir: string, state: WindowState): void {
  const path = join(dataDir, WINDOW_STATE_FILE);
  try {
    writeFileSync(`${path}.tmp`, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  } catch {
    // Remembering the size is a comfort, never a reason to fail a quit.
  }
}
