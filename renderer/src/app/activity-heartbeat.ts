import { useEffect } from 'react';
import type { AppController } from './app-controller';

/** At most one `auth:activity` per this interval (the core persists activity far less often). */
export const HEARTBEAT_MS = 30_000;

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Real user input (keyboard, pointer, wheel, touch) in the window keeps the shown
 * profile alive: `auth:activity` at most once per HEARTBEAT_MS. Only trusted
 * events count (`isTrusted`: dispatched by the browser for a person, not by a
 * script), and no timer ever sends one, so a background tab cannot keep a session
 * alive on its own. Locked, ended and hidden profiles get nothing.
 */
export function useActivityHeartbeat(controller: AppController, username: string | null): void {
  useEffect(() => {
    if (username === null) return;
    let last = Number.NEGATIVE_INFINITY;
    const onInput = (e: Event) => {
      if (!controller.isTrustedInput(e)) return;
      const t = controller.now();
      if (t - last < HEARTBEAT_MS) return;
      last = t;
      void controller.activity(username);
    };
    for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { capture: true, passive: true });
    return () => {
      for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true });
    };
  }, [controller, username]);
}
