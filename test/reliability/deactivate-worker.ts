/**
 * A second process that deactivates a user on the data folder, for cli-concurrency.test.ts.
 * `manage` has no deactivate command, so this does what one would do at the lowest
 * level: UserRepository.update on its own openDatabase connection, flipping is_active
 * and nothing else (no session row is touched). The serving core must notice by itself.
 *
 *   node --import tsx test/reliability/deactivate-worker.ts <dataDir> <username>
 *
 * Prints `deactivated <id>` and exits 0, or exits 1 with the reason on stderr.
 */
import { systemClock } from '../../electron/core/clock';
import { ChangeTracker, openDatabase } from '../../electron/core/db/database';
import { UserRepository } from '../../electron/core/users/user-repository';

const [dataDir, username] = process.argv.slice(2);
if (!dataDir || !username) {
  process.stderr.write('usage: deactivate-worker.ts <dataDir> <username>\n');
  process.exit(2);
}
const db = openDatabase(dataDir);
try {
  const users = new UserRepository(db, systemClock, new ChangeTracker(db));
  const user = users.findByIdentifier(username);
  if (!user) throw new Error(`no user ${username}`);
  users.update(user.id, { isActive: false });
  process.stdout.write(`deactivated ${user.id}\n`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
} finally {
  db.close();
}
