import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../../../electron/core/log';

/** A logger that keeps every line, context included, as the text a log file would hold. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, context?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(context ?? {})}`);
  };
  return { logger: { warn: keep('warn'), error: keep('error') }, lines };
}

/** Everything written to this process's stdout and stderr until stop() (the log's other road). */
export function captureOutput(): { text(): string; stop(): void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write.bind(s));
  streams.forEach((s, i) => {
    s.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (originals[i] as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof s.write;
  });
  return {
    text: () => chunks.join(''),
    stop: () => streams.forEach((s, i) => (s.write = originals[i] as typeof s.write)),
  };
}

/** The raw bytes of every file in the data dir (accounts.db, -wal, -shm), by name. */
export function rawFiles(dataDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dataDir)) files.set(name, readFileSync(join(dataDir, name)));
  return files;
}

/** Every row of every table, as JSON text (opened read-only, like any outside reader). */
export function dumpTables(dataDir: string): Map<string, string> {
  const db = new Database(join(dataDir, 'accounts.db'), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    return new Map(tables.map((t) => [t, JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())]));
  } finally {
    db.close();
  }
}

/** The byte forms a secret could take on disk: UTF-8 and UTF-16LE. */
export function byteForms(secret: string): Buffer[] {
  return [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
}

/** Names of `haystacks` entries that contain any byte form of `needle`. */
export function whereFound(haystacks: Map<string, Buffer | string>, needle: string): string[] {
  const forms = byteForms(needle);
  const found: string[] = [];
  for (const [name, hay] of haystacks) {
    const bytes = typeof hay === 'string' ? Buffer.from(hay, 'utf8') : hay;
    if (forms.some((f) => bytes.includes(f))) found.push(name);
  }
  return found;
}
