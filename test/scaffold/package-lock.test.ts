import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `npm install` on a fresh clone must leave package-lock.json as it is: a newcomer's
 * first command should not produce a diff. npm records `hasInstallScript: true` for
 * every package with an install, preinstall or postinstall script, or with a
 * binding.gyp and no install script of its own (npm then runs `node-gyp rebuild`);
 * a lockfile missing one of those flags is rewritten on the next install.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

interface LockEntry {
  hasInstallScript?: boolean;
}

function npmSeesInstallScript(dir: string): boolean {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const scripts = pkg.scripts ?? {};
  if (scripts.install || scripts.preinstall || scripts.postinstall) return true;
  return existsSync(join(dir, 'binding.gyp'));
}

describe('package-lock.json', () => {
  it('records hasInstallScript exactly where npm install would write it', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    const mismatches: string[] = [];
    let checked = 0;
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || !existsSync(join(root, path, 'package.json'))) continue; // the root, or an optional package not installed here
      checked++;
      if (npmSeesInstallScript(join(root, path)) !== (entry.hasInstallScript === true)) mismatches.push(path);
    }
    expect(checked).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  });

  it('flags the four packages whose install-scripts warning the README explains', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    const flagged = Object.entries(lock.packages).filter(([, e]) => e.hasInstallScript).map(([p]) => p.replace(/^node_modules\//, ''));
    expect(flagged.sort()).toEqual(['bcrypt', 'better-sqlite3', 'electron-winstaller', 'esbuild']);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const name of flagged) expect(readme).toContain(name);
    expect(readme).toMatch(/install-scripts/);
  });
});
