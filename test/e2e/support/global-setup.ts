import { ensureRendererBuild } from '../../../preview/renderer-build';

/**
 * Vitest globalSetup of the e2e project: builds the renderer once per run when
 * out/renderer is missing or older than its sources, so every scenario runs against
 * the current screens (and a stale build can never make a test pass).
 */
export function setup(): void {
  ensureRendererBuild((line) => process.stderr.write(`${line}\n`));
}
