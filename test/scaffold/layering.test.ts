import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Proves the layering rules of eslint.config.js (DESIGN.md, "Layers and folders")
 * by linting snippets as if they lived at a given path. The files need not exist:
 * the path only selects which config blocks apply.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const LAYERING_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);
const CORE_ELECTRON = 'electron/core is the domain: it never imports Electron (see DESIGN.md)';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot });
});

/** Errors from the layering rules only (a snippet may also trip no-unused-vars). */
async function layeringErrors(relPath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, relPath) });
  if (result === undefined) throw new Error(`no lint result for ${relPath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, `parse error in the snippet for ${relPath}`).toEqual([]);
  return result.messages.filter((m) => m.severity === 2 && m.ruleId !== null && LAYERING_RULES.has(m.ruleId));
}

/** no-restricted-imports prefixes our message with its own sentence, hence the containment check. */
function expectOneError(errors: Linter.LintMessage[], message: string): void {
  expect(errors).toHaveLength(1);
  expect(errors[0]?.message).toContain(message);
}

describe('electron/core never touches Electron', () => {
  it("rejects import { app } from 'electron'", async () => {
    const errors = await layeringErrors('electron/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expectOneError(errors, CORE_ELECTRON);
  });

  it("rejects a subpath such as import 'electron/main'", async () => {
    const errors = await layeringErrors('electron/core/x.ts', "import 'electron/main';\n");
    expectOneError(errors, CORE_ELECTRON);
  });

  it("rejects require('electron')", async () => {
    const errors = await layeringErrors('electron/core/x.ts', "const e = require('electron');\nexport const f = e;\n");
    expectOneError(errors, CORE_ELECTRON);
  });

  it("rejects import('electron') and type-only imports too", async () => {
    const dynamic = await layeringErrors('electron/core/auth/x.ts', "export const e = import('electron');\n");
    const typeOnly = await layeringErrors('electron/core/auth/x.ts', "import type { App } from 'electron';\nexport type A = App;\n");
    expectOneError(dynamic, CORE_ELECTRON);
    expectOneError(typeOnly, CORE_ELECTRON);
  });

  it("rejects bcrypt's synchronous API (it would freeze every window)", async () => {
    const errors = await layeringErrors('electron/core/auth/x.ts', "import bcrypt from 'bcrypt';\nexport const h = bcrypt.hashSync('pw', 12);\n");
    expectOneError(errors, "Use bcrypt's async API");
    const ok = await layeringErrors('electron/core/auth/x.ts', "import bcrypt from 'bcrypt';\nexport const h = bcrypt.hash('pw', 12);\n");
    expect(ok).toEqual([]);
  });

  it('rejects React, the renderer and the Electron shell', async () => {
    const reactImport = await layeringErrors('electron/core/x.ts', "import { useState } from 'react';\nexport const u = useState;\n");
    const rendererImport = await layeringErrors('electron/core/sessions/x.ts', "export * from '../../../renderer/src/accounts-api';\n");
    const shellImport = await layeringErrors('electron/core/auth/x.ts', "export * from '../../bridge';\n");
    expect(reactImport).toHaveLength(1);
    expect(rendererImport).toHaveLength(1);
    expect(shellImport).toHaveLength(1);
  });

  it('allows the electron shell (electron/main.ts) to import electron', async () => {
    const errors = await layeringErrors('electron/main.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(errors).toEqual([]);
  });

  it('allows core to import shared/ and itself', async () => {
    const errors = await layeringErrors(
      'electron/core/auth/x.ts',
      "export * from '../../../shared/errors';\nexport * from '../clock';\nexport * from 'node:crypto';\n",
    );
    expect(errors).toEqual([]);
  });
});

describe('shared/ imports neither side nor Node', () => {
  it('rejects a relative import of electron/', async () => {
    const errors = await layeringErrors('shared/x.ts', "export * from '../electron/core/index';\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/shared\/ is the IPC contract/);
  });

  it("rejects 'node:fs' and the bare 'fs'", async () => {
    const prefixed = await layeringErrors('shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n");
    const bare = await layeringErrors('shared/x.ts', "export * from 'fs/promises';\n");
    expect(prefixed).toHaveLength(1);
    expect(bare).toHaveLength(1);
    expect(prefixed[0]?.message).toMatch(/no Node built-ins/);
  });

  it('rejects the renderer, electron and react', async () => {
    const code = "export * from '../renderer/src/accounts-api';\nexport * from 'electron';\nexport * from 'react';\n";
    expect(await layeringErrors('shared/x.ts', code)).toHaveLength(3);
  });

  it('rejects default exports', async () => {
    const errors = await layeringErrors('shared/x.ts', 'export default 1;\n');
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/Named exports only/)]);
  });
});

describe('renderer/ imports shared/ only', () => {
  it('rejects a relative import of electron/', async () => {
    const errors = await layeringErrors('renderer/src/x.ts', "export * from '../../electron/core/clock';\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/imports only shared\//);
  });

  it("rejects 'electron' and Node built-ins", async () => {
    const code = "export * from 'electron';\nexport * from 'node:path';\nexport * from 'path';\n";
    expect(await layeringErrors('renderer/src/x.ts', code)).toHaveLength(3);
  });

  it('accepts shared/', async () => {
    const errors = await layeringErrors('renderer/src/x.ts', "export * from '../../shared/errors';\n");
    expect(errors).toEqual([]);
  });
});

describe('house rules', () => {
  const TIME_RULES = new Set(['no-restricted-properties', 'no-restricted-globals', 'no-restricted-syntax']);
  const timeSnippet = 'export const a = Date.now();\nexport const b = new Date();\nexport const c = setInterval(() => {}, 1);\n';

  async function errorsOf(relPath: string, code: string, rules: Set<string>): Promise<Linter.LintMessage[]> {
    const [result] = await eslint.lintText(code, { filePath: join(repoRoot, relPath) });
    return (result?.messages ?? []).filter((m) => m.severity === 2 && m.ruleId !== null && rules.has(m.ruleId));
  }

  it('bans wall-clock time and bare timers in domain code', async () => {
    expect(await errorsOf('electron/core/sessions/x.ts', timeSnippet, TIME_RULES)).toHaveLength(3);
  });

  it('lets clock.ts, the one home of real time, use them', async () => {
    expect(await errorsOf('electron/core/clock.ts', timeSnippet, TIME_RULES)).toEqual([]);
  });

  it('bans focused and skipped tests', async () => {
    const code = "import { describe, it } from 'vitest';\nit.only('a', () => {});\ndescribe.skip('b', () => {});\n";
    expect(await errorsOf('test/x.test.ts', code, new Set(['no-restricted-properties']))).toHaveLength(2);
  });
});

describe('the whole repository', () => {
  it('lints with no errors', async () => {
    const results = await eslint.lintFiles(['.']);
    const errors = results.flatMap((r) =>
      r.messages
        .filter((m) => m.severity === 2)
        .map((m) => `${r.filePath.slice(repoRoot.length)}:${m.line}:${m.column} ${m.ruleId ?? 'fatal'} ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
