import { refuseOldNode } from './node-version-guard';

/**
 * Entry point of `npm run manage`: the Node version first, with nothing else loaded
 * (an old Node crashes on the SQLite driver before it could print anything), then the
 * CLI itself. Keep this file's imports to the guard alone.
 */
refuseOldNode('manage');
await import('./manage-main');
