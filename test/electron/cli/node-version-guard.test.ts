import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_NODE_VERSION_ENV, oldNodeMessage } from '../../../electron/cli/node-version-guard';
import { ROOT, SLOW } from '../../support/manage-runner';

describe('oldNodeMessage (README minimum: 22.12)', () => {
  it('refuses what is older, with one line naming both versions and where to look', () => {
    for (const old of ['20.19.0', 'v20.20.2', '22.11.9', '18.0.0', '0.12.0', 'garbage']) {
      const m = oldNodeMessage('manage', old);
      expect(m, old).toMatch(/^manage: Node\.js 22\.12 or newer is needed; this is Node\.js v/);
      expect(m).toContain('README.md');
      expect(m).not.toContain('\n');
    }
    for (const ok of ['22.12.0', 'v22.12.0', '22.13.1', '23.0.0', '24.21.0', '100.0.0']) expect(oldNodeMessage('manage', ok), ok).toBeNull();
  });
});

const PROBE = join(ROOT, 'test/support/loaded-driver-probe.cjs');
const ENTRIES: [string, string[]][] = [
  ['manage', ['--import', 'tsx', 'electron/cli/manage.ts', 'users', '--data-dir', '/nonexistent']],
  ['bench', ['--import', 'tsx', 'bench/bench.ts', '--smoke']],
  ['npm test', ['node_modules/vitest/vitest.mjs', 'run', 'test/scaffold/ci-run.test.ts']],
];

function run(node: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(node, ['--require', PROBE, ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('the entry points refuse an old Node before loading the SQLite driver', SLOW, () => {
  for (const [tool, args] of ENTRIES) {
    it(`${tool}: one line, exit 1, driver never loaded (version injected)`, () => {
      const r = run(process.execPath, args, { ...process.env, [FAKE_NODE_VERSION_ENV]: '20.19.0' });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${oldNodeMessage(tool, '20.19.0')}\n[probe] better-sqlite3 loaded: false\n`);
      // vitest prints its banner before the global setup runs; no test ran.
      expect(r.stdout).not.toMatch(/Test Files|passed|failed/);
    });
  }

  // The real thing when the machine has an older Node beside the one running the tests
  // (Debian's /usr/bin/node 20 here): no SIGSEGV, no "Map.groupBy is not a function".
  it('on a real old Node, when the machine has one: the same line, never a crash', () => {
    const candidates = ['/usr/bin/node', '/bin/node', '/usr/local/bin/node'].filter(existsSync);
    const old = candidates
      .map((node) => ({ node, version: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim() }))
      .find((c) => oldNodeMessage('x', c.version) !== null);
    if (!old) {
      // Nothing older installed: the injected-version tests above are the proof here.
      expect(candidates.every((node) => oldNodeMessage('x', spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()) === null)).toBe(true);
      return;
    }
    for (const [tool, args] of ENTRIES) {
      const r = run(old.node, args, { ...process.env, [FAKE_NODE_VERSION_ENV]: '' });
      expect(r.signal, tool).toBeNull();
      expect(r.code, `${tool}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toBe(`${oldNodeMessage(tool, old.version)}\n[probe] better-sqlite3 loaded: false\n`);
    }
  });
});
