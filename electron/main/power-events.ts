import type { PowerMonitorPort } from '../ports/electron-ports';
import type { Core } from '../core/index';

/**
 * Locks every session when the machine sleeps or the screen locks. The core decides
 * whether to act (settings lockOnSuspend / lockOnScreenLock); this only wires events.
 * Returns a disposer.
 */
export function lockOnPowerEvents(
  powerMonitor: PowerMonitorPort,
  core: Pick<Core, 'lockAll'>,
  log: { warn(message: string, context?: Record<string, unknown>): void },
): () => void {
  const lock = (reason: 'suspend' | 'screen-lock') => () => {
    void core.lockAll(reason).catch(() => log.warn('locking failed', { reason }));
  };
  const onSuspend = lock('suspend');
  const onLockScreen = lock('screen-lock');
  powerMonitor.on('suspend', onSuspend);
  powerMonitor.on('lock-screen', onLockScreen);
  return () => {
    powerMonitor.removeListener('suspend', onSuspend);
    powerMonitor.removeListener('lock-screen', onLockScreen);
  };
}
