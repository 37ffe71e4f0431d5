import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../preview/preview-cli';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'preview-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run preview:web flags', () => {
  it('defaults: a free port, a temporary data folder, no demo', () => {
    expect(parseCli([])).toEqual({ demo: false });
  });

  it('reads --port, --data-dir, --settings and --demo', () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ sessionIdleTimeoutMs: 60_000 }));
    expect(parseCli(['--port', '8123', '--data-dir', 'some/dir', '--settings', file, '--demo'])).toEqual({
      port: 8123,
      dataDir: resolve('some/dir'),
      settings: { sessionIdleTimeoutMs: 60_000 },
      demo: true,
    });
  });

  it('refuses bad input with one clear sentence each', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    const list = join(dir, 'list.json');
    writeFileSync(list, '[1, 2]');
    const cases: [string[], RegExp][] = [
      [['--port', 'abc'], /--port must be a whole number from 0 to 65535, got "abc"/],
      [['--port', '70000'], /--port must be a whole number/],
      [['--port', '-1'], /--port/],
      [['--bogus'], /Unknown option '--bogus'[\s\S]*usage: npm run preview:web/],
      [['stray'], /usage: npm run preview:web/],
      [['--settings', join(dir, 'missing.json')], /--settings: cannot read .*missing\.json \(ENOENT\)/],
      [['--settings', bad], /--settings: .*bad\.json is not valid JSON/],
      [['--settings', list], /must hold a JSON object of settings/],
    ];
    for (const [argv, message] of cases) expect(() => parseCli(argv), argv.join(' ')).toThrow(message);
  });
});
