import { refuseOldNode } from '../../electron/cli/node-version-guard';

/**
 * Vitest globalSetup: runs once before any test file is loaded, so an old Node gets one
 * line and exit 1 instead of a crash in whichever test first loads the SQLite driver.
 */
export default function setup(): void {
  refuseOldNode('npm test');
}
