import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../../electron/cli/cli-errors';
import { runManage } from '../../../../electron/cli/manage-cli';
import { STRONG_PASSWORD } from '../../../support/core-harness';
import { pipedIo } from './cli-test-io';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'manage-createsuperuser-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const create = async (dir: string, input: string | Buffer) => {
  const t = pipedIo(root, input);
  const code = await runManage(['createsuperuser', '--username', 'admin', '--data-dir', dir], t.io);
  return { code, stdout: t.stdout.text, stderr: t.stderr.text };
};

describe('manage createsuperuser reads and checks the password before it creates anything', () => {
  const latin1 = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' au lait, très fort 42\n')]);
  const refusals: [string, string | Buffer, RegExp][] = [
    ['a password the policy refuses', 'short\nshort\n', /the password was refused/],
    ['a keyboard walk (NIST: sequential)', 'qwertyuiopas\nqwertyuiopas\n', /consecutive characters or keys\. \(sequential\)/],
    ['a repeated group (NIST: repetitive)', 'abcabcabcabc\nabcabcabcabc\n', /repeats the same characters\. \(repetitive\)/],
    ['two passwords that differ', `${STRONG_PASSWORD}\n${STRONG_PASSWORD}!\n`, /do not match/],
    ['input that is not UTF-8 (Latin-1 é)', Buffer.concat([latin1, latin1]), /not valid UTF-8/],
    ['one line only', `${STRONG_PASSWORD}\n`, /Expected two lines/],
  ];
  for (const [what, input, message] of refusals) {
    it(`${what}: no data folder, no accounts.db`, async () => {
      const dir = join(root, 'new', 'data');
      const r = await create(dir, input);
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(root, 'new'))).toBe(false);
    });
  }

  it('in an existing but empty folder, leaves it empty', async () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    expect((await create(dir, 'short\nshort\n')).code).toBe(EXIT.failure);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("uses settings.json's passwordMinLength before the database exists", async () => {
    const dir = join(root, 'strict');
    mkdirSync(dir);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ passwordMinLength: 40, bcryptCost: 4 }));
    const r = await create(dir, `${STRONG_PASSWORD}\n${STRONG_PASSWORD}\n`);
    expect(r.code).toBe(EXIT.failure);
    expect(r.stderr).toMatch(/40/);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('creates the folder and the user once the password is accepted; a taken name is refused before the prompt', async () => {
    const dir = join(root, 'ok');
    writeFileSync(join(root, 'unused'), '');
    expect((await create(dir, `${STRONG_PASSWORD}\n${STRONG_PASSWORD}\n`)).code).toBe(EXIT.ok);
    expect(existsSync(join(dir, 'accounts.db'))).toBe(true);
    const again = await create(dir, ''); // no password needed to learn that
    expect(again.code).toBe(EXIT.failure);
    expect(again.stderr).toContain('A user named "admin" already exists.');
    expect(again.stderr).toContain(`To set its password: manage changepassword admin --data-dir ${dir}`);
    expect(again.stderr).not.toContain('Password:');
  });
});
