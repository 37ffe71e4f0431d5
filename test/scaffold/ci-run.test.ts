import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `.ci/run` is the one CI entry point. The OS-keychain tests skip (green) without
 * their tools unless CI is set, so the script must set CI itself, before the tests,
 * whatever the runner that calls it does.
 */
describe('.ci/run', () => {
  const lines = readFileSync(join(fileURLToPath(new URL('../..', import.meta.url)), '.ci', 'run'), 'utf8').split('\n');
  const at = (re: RegExp): number => lines.findIndex((l) => re.test(l));

  it('exports CI=true before it runs the tests', () => {
    const exported = at(/^export CI=true$/);
    const tests = at(/^bash scripts\/with-keyring\.sh npm test$/);
    expect(exported).toBeGreaterThanOrEqual(0);
    expect(tests).toBeGreaterThan(exported);
  });
});
