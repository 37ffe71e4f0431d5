import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../../electron/cli/cli-context';
import { collect } from '../fake-tty';

/** In-process `manage` I/O: piped stdin (bytes or text), collected stdout/stderr. */
export function pipedIo(dir: string, input: string | Buffer = '') {
  const stdin = new PassThrough();
  stdin.end(input);
  const stdout = collect();
  const stderr = collect();
  const io: CliIo = { stdin, stdout, stderr, env: {}, platform: 'linux', homedir: dir, cwd: dir };
  return { io, stdout, stderr };
}
