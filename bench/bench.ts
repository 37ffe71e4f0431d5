import { refuseOldNode } from '../electron/cli/node-version-guard';

/**
 * Entry point of `npm run bench`: the Node version first, with nothing else loaded (an
 * old Node crashes on the SQLite driver before it could say why), then the bench.
 */
refuseOldNode('bench');
const { runCli } = await import('./run-bench');
runCli();
