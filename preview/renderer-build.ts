import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_OUT = join(PROJECT_ROOT, 'out', 'renderer');

/** What the renderer bundle is built from: a change in any of these makes the build stale. */
const SOURCES = ['renderer', 'shared', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when out/renderer is missing or older than any of its sources. */
export function rendererBuildIsStale(): boolean {
  const index = join(RENDERER_OUT, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(PROJECT_ROOT, s)) > built);
}

/**
 * Runs `npm run build:renderer` when the build is missing or stale, so the preview,
 * the end-to-end tests and the screenshots always show the current source.
 * Throws with vite's own output when the build fails.
 */
export function ensureRendererBuild(log: (line: string) => void = () => {}): void {
  if (!rendererBuildIsStale()) return;
  log('Building the renderer (npm run build:renderer)…');
  const r = spawnSync('npm', ['run', '--silent', 'build:renderer'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`npm run build:renderer failed (exit ${String(r.status)}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
}
