import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * `npm run typecheck` checks the shell against Electron's own electron.d.ts
 * (tsconfig.electron.json). This proves the types are really Electron's, not `any`:
 * probes compiled under that tsconfig fail on a misspelt webPreferences key, a wrong
 * API call, and a fake that does not fit a port.
 */
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const PROBE = join(repoRoot, 'electron', 'main', '__types-probe.ts');

function diagnostics(code: string): string[] {
  const configPath = join(repoRoot, 'tsconfig.electron.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, repoRoot, undefined, configPath);
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (f, v, e, c) => (f === PROBE ? ts.createSourceFile(f, code, v, true) : getSourceFile(f, v, e, c));
  host.fileExists = (f) => f === PROBE || fileExists(f);
  const program = ts.createProgram([PROBE], parsed.options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(PROBE)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('typecheck against electron.d.ts', () => {
  it('accepts correct use of the real API and the ports', () => {
    expect(
      diagnostics(
        "import { app, BrowserWindow, type WebPreferences } from 'electron';\n" +
          "import type { AppPort, BrowserWindowClass } from '../ports/electron-ports';\n" +
          'export const a: AppPort = app;\nexport const b: BrowserWindowClass = BrowserWindow;\n' +
          'export const p = { sandbox: true, contextIsolation: true } satisfies WebPreferences;\n',
      ),
    ).toEqual([]);
  });

  it('refuses a misspelt webPreferences key', () => {
    expect(diagnostics("import type { WebPreferences } from 'electron';\nexport const p = { contextIsolaton: true } satisfies WebPreferences;\n").join('\n')).toMatch(/contextIsolaton/);
  });

  it('refuses a call Electron does not have', () => {
    expect(diagnostics("import { app } from 'electron';\napp.requestSingleInstance();\n").join('\n')).toMatch(/requestSingleInstance/);
  });

  it('refuses an object that does not fit a port', () => {
    expect(diagnostics("import type { AppPort } from '../ports/electron-ports';\nexport const a: AppPort = { quit() {} };\n").length).toBeGreaterThan(0);
  });
});
