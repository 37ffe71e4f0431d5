/**
 * A real, size-limited file system for fault tests: a tmpfs mounted on a fresh temp
 * folder. Faults come from the kernel (ENOSPC, EROFS), not from a mock, and they hold
 * for root too (the tests run as root here and in CI, where chmod stops nothing).
 * Needs CAP_SYS_ADMIN: a machine without it fails the test loudly, never skips it.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  /** The mount point. */
  dir: string;
  /** Remounts read-only (every open file must be closed first) or read-write again. */
  remount(mode: 'ro' | 'rw'): void;
  /**
   * Writes a filler file until the file system refuses (ENOSPC), then gives back
   * `leaveBytes` of it; returns its path.
   */
  fill(leaveBytes?: number): string;
  /** Unmounts and removes the mount point; safe to call twice. */
  dispose(): void;
}

const run = (cmd: string, args: string[]): void => {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

export function mountTmpfs(sizeBytes: number): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'reliability-tmpfs-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot mount a tmpfs on ${dir} (these tests need root or CAP_SYS_ADMIN): ${(e as Error).message}`, { cause: e });
  }
  let mounted = true;
  return {
    dir,
    remount(mode) {
      run('mount', ['-o', `remount,${mode}`, dir]);
    },
    fill(leaveBytes = 0) {
      const path = join(dir, 'filler.bin');
      const fd = openSync(path, 'w');
      let written = 0;
      try {
        // Big chunks first, then single pages: tmpfs counts whole pages.
        for (const size of [1 << 20, 64 << 10, 4096, 512]) {
          const chunk = Buffer.alloc(size, 0x5a);
          for (;;) {
            try {
              written += writeSync(fd, chunk);
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw e;
            }
          }
        }
        if (leaveBytes > 0) ftruncateSync(fd, Math.max(0, written - leaveBytes));
      } finally {
        closeSync(fd);
      }
      return path;
    },
    dispose() {
      if (!mounted) return;
      mounted = false;
      try {
        run('umount', [dir]);
      } catch {
        run('umount', ['-l', dir]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Frees the space a fill() took. */
export function unfill(path: string): void {
  unlinkSync(path);
}
