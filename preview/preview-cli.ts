import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { SettingsInput } from '../electron/core/settings';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './demo-seed';
import { RENDERER_OUT, ensureRendererBuild } from './renderer-build';
import { startPreview } from './preview-server';

/**
 * `npm run preview:web [-- --port N] [--data-dir DIR] [--settings FILE] [--demo]`:
 * the app in a real browser, over the real core, on 127.0.0.1 only. Builds the
 * renderer when out/renderer is missing or stale, prints exactly one line
 * `Preview: http://127.0.0.1:PORT/?token=…` and runs until stopped (Ctrl+C).
 * Bad flags exit 2 with one sentence, never a stack trace.
 */

const USAGE = 'usage: npm run preview:web -- [--port N] [--data-dir DIR] [--settings FILE] [--demo]';

class UsageError extends Error {}

export interface CliOptions {
  port?: number;
  dataDir?: string;
  settings?: Partial<SettingsInput>;
  demo: boolean;
}

export function parseCli(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        settings: { type: 'string' },
        demo: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  }
  if (values.help) throw new UsageError(USAGE);
  const out: CliOptions = { demo: values.demo };
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${values.port}".`);
    out.port = port;
  }
  if (values['data-dir'] !== undefined) out.dataDir = resolve(values['data-dir']);
  if (values.settings !== undefined) out.settings = readSettingsFile(values.settings);
  return out;
}

function readSettingsFile(path: string): Partial<SettingsInput> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--settings: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--settings: ${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--settings: ${path} must hold a JSON object of settings, e.g. {"sessionIdleTimeoutMs": 60000}.`);
  }
  return parsed as Partial<SettingsInput>;
}

async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  ensureRendererBuild((line) => process.stderr.write(`${line}\n`));
  const tempDir = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'accounts-preview-')) : null;
  const dataDir = options.dataDir ?? (tempDir as string);
  const preview = await startPreview({
    dataDir,
    rendererDir: RENDERER_OUT,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await preview.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (options.demo) {
    const seeded = await seedDemo(preview.core);
    if (seeded) {
      process.stdout.write(`Demo accounts (password for all: ${DEMO_PASSWORD}):\n`);
      for (const a of DEMO_ACCOUNTS) process.stdout.write(`  ${a.username.padEnd(8)} ${a.displayName} (${a.note})\n`);
    } else {
      process.stdout.write('--demo: this data folder already has users; nothing seeded.\n');
    }
  }
  process.stdout.write(`Data folder: ${dataDir}${tempDir ? ' (temporary, removed on exit)' : ''}\n`);
  process.stdout.write(`Preview: ${preview.url}\n`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) main().catch(fail);

function fail(e: unknown): never {
  const known = e instanceof UsageError || (e instanceof Error && ['SettingsError', 'DatabaseOpenError'].includes(e.name));
  const code = (e as NodeJS.ErrnoException).code;
  const message = code === 'EADDRINUSE' ? 'That port is already in use: pick another with --port, or omit it.' : e instanceof Error ? e.message : String(e);
  process.stderr.write(`preview:web: ${known || code === 'EADDRINUSE' ? message : `could not start: ${message}`}\n`);
  process.exit(2);
}
