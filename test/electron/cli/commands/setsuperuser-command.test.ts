import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../../electron/cli/cli-errors';
import { runManage } from '../../../../electron/cli/manage-cli';
import { ChangeTracker, openDatabase } from '../../../../electron/core/db/database';
import { UserRepository } from '../../../../electron/core/users/user-repository';
import { STRONG_PASSWORD } from '../../../support/core-harness';
import { FakeTime } from '../../../support/fake-time';
import { pipedIo } from './cli-test-io';

let root: string;
let dir: string;

/** Flags of a user, and the audit types recorded for them, read from the file. */
function read(username: string) {
  const time = new FakeTime();
  const db = openDatabase(dir, { clock: time });
  try {
    const u = new UserRepository(db, time, new ChangeTracker(db)).findByIdentifier(username);
    const audit = db.prepare<[number], string>("SELECT type FROM audit_events WHERE user_id = ? AND type = 'user.updated'").pluck().all(u!.id);
    return { superuser: u!.isSuperuser, staff: u!.isStaff, updates: audit.length };
  } finally {
    db.close();
  }
}

const run = async (...args: string[]) => {
  const t = pipedIo(root);
  const code = await runManage([...args, '--data-dir', dir], t.io);
  return { code, stdout: t.stdout.text, stderr: t.stderr.text };
};

beforeEach(async () => {
  // A space in the path: the hints must quote it so it can be pasted back.
  root = mkdtempSync(join(tmpdir(), 'manage-setsuperuser-'));
  dir = join(root, 'data dir');
  const t = pipedIo(root, `${STRONG_PASSWORD}\n${STRONG_PASSWORD}\n`);
  expect(await runManage(['createsuperuser', '--username', 'admin', '--data-dir', dir], t.io)).toBe(EXIT.ok);
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4 }));
  const time = new FakeTime();
  const db = openDatabase(dir, { clock: time });
  try {
    new UserRepository(db, time, new ChangeTracker(db)).create({ username: 'bob', passwordHash: 'x' });
  } finally {
    db.close();
  }
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('manage setsuperuser', () => {
  it('makes a user a superuser and staff, through the service (audited); twice is a no-op', async () => {
    expect(read('bob')).toEqual({ superuser: false, staff: false, updates: 0 });
    const r = await run('setsuperuser', 'bob');
    expect(r).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(r.stdout).toBe('"bob" is now a superuser (staff).\n');
    expect(read('bob')).toEqual({ superuser: true, staff: true, updates: 1 });
    expect(await run('setsuperuser', 'bob')).toMatchObject({ code: EXIT.ok, stdout: '"bob" is already a superuser; nothing to do.\n' });
    expect(read('bob').updates).toBe(1);
  });

  it('--revoke takes it away, but never from the last active superuser (and says how to add another)', async () => {
    const refused = await run('setsuperuser', 'admin', '--revoke');
    expect(refused.code).toBe(EXIT.failure);
    expect(refused.stderr).toContain('This is the last active superuser: make another user a superuser first. Nothing was changed.');
    expect(refused.stderr).toContain(`To make another user a superuser: manage setsuperuser USER --data-dir '${dir}'`);
    expect(read('admin')).toMatchObject({ superuser: true, updates: 0 });

    expect((await run('setsuperuser', 'bob')).code).toBe(EXIT.ok);
    expect(await run('setsuperuser', 'admin', '--revoke')).toMatchObject({
      code: EXIT.ok,
      stdout: '"admin" is no longer a superuser (still staff).\n',
    });
    expect(read('admin')).toEqual({ superuser: false, staff: true, updates: 1 });
    expect(await run('setsuperuser', 'admin', '--revoke')).toMatchObject({ code: EXIT.ok, stdout: '"admin" is not a superuser; nothing to do.\n' });
  });

  it('deactivating the last superuser points at setsuperuser, with the same --data-dir', async () => {
    const r = await run('deactivate', 'admin');
    expect(r.code).toBe(EXIT.failure);
    expect(r.stderr).toContain(`manage setsuperuser USER --data-dir '${dir}'`);
  });

  it('an unknown user: the hint to list users repeats the --data-dir in use', async () => {
    const r = await run('setsuperuser', 'nobody');
    expect(r.code).toBe(EXIT.failure);
    expect(r.stderr).toContain(`To list them: manage users --data-dir '${dir}'\n`);
  });

  it('is listed in the help, with --revoke', async () => {
    const t = pipedIo(root);
    expect(await runManage(['help', 'setsuperuser'], t.io)).toBe(EXIT.ok);
    expect(t.stdout.text).toMatch(/^Usage: manage setsuperuser USER \[--revoke\] \[--data-dir DIR\]/);
    expect(t.stdout.text).toContain('--revoke');
  });
});
