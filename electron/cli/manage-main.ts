import { homedir } from 'node:os';
import { runManage } from './manage-cli';

/**
 * The CLI proper, loaded by manage.ts once the Node version is known to be recent
 * enough: `npm run manage -- <command> [options]` (tsx, plain Node: never Electron).
 * npm runs scripts from the package folder; INIT_CWD is where the person typed the
 * command, so a relative --data-dir means what they meant.
 */
async function main(): Promise<void> {
  const cwd = process.env.npm_lifecycle_event === 'manage' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  const code = await runManage(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    platform: process.platform,
    homedir: homedir(),
    cwd,
  });
  // Flush first: on pipes (macOS, Windows) writes can still be queued. Then exit
  // explicitly, so a paused stdin or the keychain library cannot keep the process alive.
  await new Promise<void>((done) => process.stdout.write('', () => done()));
  await new Promise<void>((done) => process.stderr.write('', () => done()));
  process.exit(code);
}

void main();
