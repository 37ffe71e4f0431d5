import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Proves the runtime separation of the per-runtime tsconfigs (aesthetics.md,
 * "What to absorb" 3): code under the shared options can use neither Node nor the
 * DOM, the renderer gets the DOM, the main process gets Node.
 *
 * Each case compiles one tiny in-memory file with the options parsed from the real
 * tsconfig. The file lives at a virtual path inside the repo (so `types` and
 * modules resolve against the repo's node_modules) and is never written to disk.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const PROBE = join(repoRoot, '.tsconfig-probe', 'probe.ts');

type Runtime = 'shared' | 'electron' | 'renderer';

function parseConfig(runtime: Runtime): ts.ParsedCommandLine {
  const configPath = join(repoRoot, `tsconfig.${runtime}.json`);
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, repoRoot, undefined, configPath);
  expect(parsed.errors).toEqual([]);
  return parsed;
}

/** Diagnostics of compiling `code` alone under the given tsconfig's options, as "TS<code>: text". */
function compile(runtime: Runtime, code: string): string[] {
  const options = parseConfig(runtime).options;
  const host = ts.createCompilerHost(options);
  const realGetSourceFile = host.getSourceFile.bind(host);
  const isProbe = (fileName: string) => fileName === PROBE;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    isProbe(fileName)
      ? ts.createSourceFile(fileName, code, languageVersion, true)
      : realGetSourceFile(fileName, languageVersion, onError, shouldCreate);
  const realFileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => isProbe(fileName) || realFileExists(fileName);
  const realReadFile = host.readFile.bind(host);
  host.readFile = (fileName) => (isProbe(fileName) ? code : realReadFile(fileName));

  const program = ts.createProgram({ rootNames: [PROBE], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

const NODE_ENV = 'export const mode = process.env.NODE_ENV;\n';
const NODE_FS = "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n";
const DOM = 'export const title = document.title;\n';

// Matched on the text: TypeScript picks among several codes (2580, 2591, 2307…) for the same fact.
const NO_PROCESS = /^TS\d+: Cannot find name 'process'/;
const NO_NODE_FS = /^TS\d+: Cannot find (?:name|module) 'node:fs'/;
const NO_DOCUMENT = /^TS\d+: Cannot find name 'document'/;

describe('tsconfig.shared.json: no Node, no DOM', () => {
  it('rejects process.env', () => {
    const diagnostics = compile('shared', NODE_ENV);
    expect(diagnostics).toEqual([expect.stringMatching(NO_PROCESS)]);
  });

  it("rejects import from 'node:fs'", () => {
    const diagnostics = compile('shared', NODE_FS);
    expect(diagnostics).toEqual([expect.stringMatching(NO_NODE_FS)]);
  });

  it('rejects document.title', () => {
    const diagnostics = compile('shared', DOM);
    expect(diagnostics).toEqual([expect.stringMatching(NO_DOCUMENT)]);
  });

  it('covers shared/ only', () => {
    const files = parseConfig('shared').fileNames.map((f) => relative(repoRoot, f));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !f.startsWith('shared/'))).toEqual([]);
  });
});

describe('tsconfig.renderer.json: DOM, no Node', () => {
  it('accepts document.title', () => {
    expect(compile('renderer', DOM)).toEqual([]);
  });

  it('rejects process.env', () => {
    expect(compile('renderer', NODE_ENV)).toEqual([expect.stringMatching(NO_PROCESS)]);
  });

  it('never includes main-process code', () => {
    const files = parseConfig('renderer').fileNames.map((f) => relative(repoRoot, f));
    expect(files.filter((f) => f.startsWith('electron/'))).toEqual([]);
  });
});

describe('tsconfig.electron.json: Node, no DOM', () => {
  it('accepts process.env and node:fs', () => {
    expect(compile('electron', NODE_ENV + NODE_FS)).toEqual([]);
  });

  it('rejects document.title', () => {
    expect(compile('electron', DOM)).toEqual([expect.stringMatching(NO_DOCUMENT)]);
  });

  it('never includes renderer code', () => {
    const files = parseConfig('electron').fileNames.map((f) => relative(repoRoot, f));
    expect(files.filter((f) => f.startsWith('renderer/'))).toEqual([]);
  });
});
