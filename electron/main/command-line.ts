/**
 * The app's own switches, picked out of a command line that also carries Electron's
 * and Chromium's (`electron .`, `--no-sandbox`, `--enable-logging`…), which are
 * ignored here.
 *
 * - `--data-dir DIR` / `--data-dir=DIR`: use DIR instead of the user-data folder;
 * - `--lock-all`: on a second launch, lock every session of the running instance;
 * - `--manage <command> [args]`: run a manage command headless and exit; everything
 *   after `--manage` belongs to the command (its own --data-dir included).
 */
export interface ShellArgs {
  dataDir: string | null;
  lockAll: boolean;
  manage: string[] | null;
}

export class ShellArgsError extends Error {
  override name = 'ShellArgsError';
}

export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const out: ShellArgs = { dataDir: null, lockAll: false, manage: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--manage') {
      out.manage = argv.slice(i + 1);
      break;
    }
    if (arg === '--lock-all') out.lockAll = true;
    else if (arg === '--data-dir' || arg.startsWith('--data-dir=')) {
      const value = arg === '--data-dir' ? argv[++i] : arg.slice('--data-dir='.length);
      if (value === undefined || value === '' || value.startsWith('--')) {
        throw new ShellArgsError('--data-dir needs a folder: --data-dir DIR');
      }
      out.dataDir = value;
    }
  }
  return out;
}
