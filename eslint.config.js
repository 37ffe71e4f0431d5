// @ts-check
/**
 * Lint config. Its main job: folders name the runtime, and lint enforces the
 * layering in DESIGN.md ("Layers and folders"), as errors so CI fails:
 *
 *   renderer/      -> shared/ only (no electron/, no 'electron', no Node built-ins)
 *   shared/        -> nothing of either side (no electron/, renderer/, 'electron', Node, React)
 *   electron/core/ -> shared/ (never 'electron', React, the renderer or the Electron shell)
 *   electron/cli/  -> core + shared under plain Node (never 'electron')
 *
 * The attack or accident this defends against: a domain module that quietly grows
 * an Electron or DOM dependency can no longer be tested under plain Node, and a
 * renderer that imports main-process code would bundle privileged code into the
 * untrusted web content. tsconfig.*.json add the matching type-level wall
 * (shared: no Node/DOM types). Proven by test/scaffold/layering.test.ts.
 *
 * Only non-type-checked rules, so `eslint .` stays fast.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = '**/*.{ts,tsx,mts,cts}';

// ---- Import restrictions, one list per forbidden target ---------------------

/** A relative import that reaches into a top-level folder, e.g. '../../electron/core/clock'. */
const relativeInto = (/** @type {string} */ folder) => `^\\.\\.?/(?:.*/)?${folder}(?:/|$)`;

/**
 * @typedef {{ regex: string, message: string }} Pattern
 * @typedef {{ paths: { name: string, message: string }[], patterns: Pattern[] }} Restrictions
 */

/** @returns {Restrictions} */
const electronPackage = (/** @type {string} */ message) => ({
  paths: [],
  patterns: [{ regex: '^electron(?:/.*)?$', message }],
});

/** @returns {Restrictions} */
const nodeBuiltins = (/** @type {string} */ message) => ({
  paths: builtinModules.filter((name) => !name.startsWith('node:')).map((name) => ({ name, message })),
  patterns: [{ regex: '^node:', message }],
});

/** @returns {Restrictions} */
const react = (/** @type {string} */ message) => ({
  paths: [],
  patterns: [{ regex: '^react(?:-dom)?(?:/.*)?$', message }],
});

/** @returns {Restrictions} */
const folders = (/** @type {string[]} */ names, /** @type {string} */ message) => ({
  paths: [],
  patterns: names.map((name) => ({ regex: relativeInto(name), message })),
});

/**
 * From anywhere inside electron/core, a specifier made only of '../' steps that ends
 * in a shell file (or cli/) leaves the domain for the Electron glue.
 * @returns {Restrictions}
 */
const electronShell = (/** @type {string} */ message) => ({
  paths: [],
  patterns: [{ regex: '^(?:\\.\\./)+(?:main|window|preload|bridge|menu|cli)(?:/.*)?$', message }],
});

/**
 * Merges restriction lists into one `no-restricted-imports` entry (flat config
 * replaces rule options, it never merges them, so each file gets one full list).
 * @returns {import('eslint').Linter.RuleEntry}
 */
const restrictImports = (/** @type {Restrictions[]} */ lists) => [
  'error',
  {
    paths: lists.flatMap((l) => l.paths),
    patterns: lists.flatMap((l) => l.patterns),
  },
];

// ---- Syntax restrictions (no-restricted-syntax) ----------------------------

/** @typedef {{ selector: string, message: string }} Syntax */

// esquery regexes cannot contain '/', hence \x2F.
const ELECTRON_SPECIFIER = String.raw`/^electron(\x2F|$)/`;

/** require('electron'), import('electron') and `import x = require('electron')`: the forms no-restricted-imports misses. */
const electronByOtherMeans = (/** @type {string} */ message) => /** @type {Syntax[]} */ ([
  { selector: `CallExpression[callee.name='require'][arguments.0.value=${ELECTRON_SPECIFIER}]`, message },
  { selector: `ImportExpression[source.value=${ELECTRON_SPECIFIER}]`, message },
  { selector: `TSExternalModuleReference[expression.value=${ELECTRON_SPECIFIER}]`, message },
]);

/** bcrypt's synchronous API blocks the main process, which serves every window. */
const noSyncBcrypt = /** @type {Syntax[]} */ ([
  {
    selector: `MemberExpression[property.name=/^(hashSync|compareSync|genSaltSync)$/]`,
    message: "Use bcrypt's async API: a synchronous hash freezes every window for ~250 ms.",
  },
]);

/** Code that must run without Node has no `require` and no `import('node:…')`. */
const nodeByOtherMeans = (/** @type {string} */ message) => /** @type {Syntax[]} */ ([
  { selector: `CallExpression[callee.name='require']`, message },
  { selector: `ImportExpression[source.value=/^node:/]`, message },
  { selector: `TSExternalModuleReference`, message },
]);

const NO_DEFAULT_EXPORT = 'Named exports only (house rule): a default export can be imported under any name.';
const noDefaultExport = /** @type {Syntax[]} */ ([
  { selector: 'ExportDefaultDeclaration', message: NO_DEFAULT_EXPORT },
  { selector: "ExportSpecifier[exported.name='default']", message: NO_DEFAULT_EXPORT },
]);

const WALL_CLOCK = 'Domain code reads time from the injected Clock (electron/core/clock.ts), so tests can fake it.';
const noWallClockSyntax = /** @type {Syntax[]} */ ([
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: WALL_CLOCK },
]);

/**
 * Electron security (checklist in docs/architecture.md): the renderer's privileges
 * are set once, in electron/window/main-window.ts, and nowhere may weaken them; IPC is
 * registered only by the bridge (which checks every sender); windows are created only
 * by the window factory; external links open only through the https-only helper.
 * Each entry has an id so the three exempt files drop exactly their own rule.
 * @type {{ id: string, selector: string, message: string }[]}
 */
const prop = (/** @type {string} */ name) => `Property:matches([key.name=${name}], [key.value=${name}])`;
const ELECTRON_INSECURE = [
  { id: 'node-integration', selector: `${prop('/^nodeIntegration/')}[value.value=true]`, message: 'nodeIntegration gives web content Node: never enable it (Electron security #2).' },
  { id: 'context-isolation', selector: `${prop("'contextIsolation'")}[value.value=false]`, message: 'contextIsolation must stay on (Electron security #3).' },
  { id: 'sandbox', selector: `${prop("'sandbox'")}[value.value=false]`, message: 'The renderer stays sandboxed (Electron security #4).' },
  { id: 'web-security', selector: `${prop("'webSecurity'")}[value.value=false]`, message: 'webSecurity must stay on (Electron security #6).' },
  { id: 'insecure-content', selector: `${prop("'allowRunningInsecureContent'")}[value.value=true]`, message: 'No insecure content (Electron security #8).' },
  { id: 'experimental', selector: `${prop("'experimentalFeatures'")}[value.value=true]`, message: 'No experimental features (Electron security #9).' },
  { id: 'blink-features', selector: prop("'enableBlinkFeatures'"), message: 'No enableBlinkFeatures (Electron security #10).' },
  { id: 'webview', selector: `${prop("'webviewTag'")}[value.value=true]`, message: 'No <webview> (Electron security #11-12).' },
  {
    id: 'ipc-main',
    selector: `CallExpression:matches([callee.object.name='ipcMain'], [callee.object.property.name='ipcMain'])[callee.property.name=/^(handle|handleOnce|on|once|addListener)$/]`,
    message: 'IPC is registered only in electron/bridge/ipc-bridge.ts, which checks every sender (Electron security #17).',
  },
  {
    id: 'new-browser-window',
    selector: `NewExpression:matches([callee.name=/^(BrowserWindow|BaseWindow|WebContentsView|BrowserView)$/], [callee.property.name=/^(BrowserWindow|BaseWindow|WebContentsView|BrowserView)$/])`,
    message: 'Windows are created only by electron/window/main-window.ts, with the secure webPreferences.',
  },
  {
    id: 'open-external',
    selector: `CallExpression[callee.property.name='openExternal']`,
    message: 'Open links only through openExternalSafe (electron/window/external-links.ts): https only (Electron security #15).',
  },
];
/** @returns {Syntax[]} */
const electronSecurity = (/** @type {string[]} */ allowed = []) =>
  ELECTRON_INSECURE.filter((r) => !allowed.includes(r.id)).map(({ selector, message }) => ({ selector, message }));

/** @returns {import('eslint').Linter.RuleEntry} */
const restrictSyntax = (/** @type {Syntax[]} */ list) => ['error', ...list];

// ---- Messages --------------------------------------------------------------

const M = {
  coreElectron: 'electron/core is the domain: it never imports Electron (see DESIGN.md)',
  coreRenderer: 'electron/core never imports the renderer: dependencies point inward (see DESIGN.md)',
  coreReact: 'electron/core never imports React: the domain has no UI (see DESIGN.md)',
  coreShell: 'electron/core never imports the Electron shell (main, window, preload, bridge, menu) or the CLI: they import core, not the reverse (see DESIGN.md)',
  cliElectron: 'electron/cli runs under plain Node: it never imports Electron (see DESIGN.md)',
  electronRenderer: 'electron/ never imports the renderer: the two sides meet only through the contract in shared/ (see DESIGN.md)',
  sharedSides: 'shared/ is the IPC contract: it imports neither electron/ nor renderer/ (see DESIGN.md)',
  sharedNode: 'shared/ runs in both processes: no Node built-ins (see DESIGN.md)',
  sharedElectron: 'shared/ runs in both processes: it never imports Electron (see DESIGN.md)',
  sharedReact: 'shared/ is the IPC contract: it never imports React (see DESIGN.md)',
  rendererElectronDir: 'The renderer imports only shared/: it reaches main through window.accounts, never electron/ code (see DESIGN.md)',
  rendererElectron: "The renderer is sandboxed web content: it never imports 'electron'; use window.accounts (see DESIGN.md)",
  rendererNode: 'The renderer is sandboxed web content: no Node built-ins (see DESIGN.md)',
};

// ---- Per-layer rule sets (each file gets exactly one) ----------------------

/**
 * electron/core/**, with or without the wall-clock ban (clock.ts is where real time lives).
 * @returns {import('eslint').Linter.RulesRecord}
 */
const coreRules = (/** @type {boolean} */ timeBanned) => ({
  'no-restricted-imports': restrictImports([
    electronPackage(M.coreElectron),
    folders(['renderer'], M.coreRenderer),
    react(M.coreReact),
    electronShell(M.coreShell),
  ]),
  'no-restricted-syntax': restrictSyntax([
    ...electronByOtherMeans(M.coreElectron),
    ...noDefaultExport,
    ...noSyncBcrypt,
    ...(timeBanned ? noWallClockSyntax : []),
  ]),
  'no-restricted-globals': timeBanned
    ? [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate'].map((name) => ({
          name,
          message: 'Domain code schedules through the injected Scheduler (electron/core/clock.ts): every timer gets a disposer and fake time in tests.',
        })),
      ]
    : 'off',
  'no-restricted-properties': timeBanned
    ? ['error', { object: 'Date', property: 'now', message: WALL_CLOCK }]
    : 'off',
});

export default defineConfig([
  globalIgnores(['**/node_modules/', '**/dist/', '**/out/', '**/coverage/', '**/.vite/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'project/all',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },

  {
    // Config files, scripts, tests and the main process run under Node; shared/ and renderer/ do not.
    name: 'project/node-globals',
    ignores: ['shared/**', 'renderer/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'project/electron-shell',
    files: [`electron/${TS}`],
    ignores: ['electron/core/**', 'electron/cli/**'],
    rules: {
      'no-restricted-imports': restrictImports([folders(['renderer'], M.electronRenderer)]),
      'no-restricted-syntax': restrictSyntax([...noDefaultExport, ...electronSecurity()]),
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  // The three places allowed to do one guarded thing each.
  ...[
    ['electron/bridge/ipc-bridge.ts', 'ipc-main'],
    ['electron/window/main-window.ts', 'new-browser-window'],
    ['electron/window/external-links.ts', 'open-external'],
  ].map(([file, allowed]) => ({
    name: `project/electron-shell-${allowed}`,
    files: [/** @type {string} */ (file)],
    rules: { 'no-restricted-syntax': restrictSyntax([...noDefaultExport, ...electronSecurity([/** @type {string} */ (allowed)])]) },
  })),
  {
    name: 'project/electron-core',
    files: [`electron/core/${TS}`],
    ignores: ['electron/core/clock.ts'],
    rules: { ...coreRules(true), 'no-console': ['error', { allow: ['warn', 'error'] }] },
  },
  {
    name: 'project/electron-core-clock',
    files: ['electron/core/clock.ts'],
    rules: { ...coreRules(false), 'no-console': ['error', { allow: ['warn', 'error'] }] },
  },
  {
    name: 'project/electron-cli',
    files: [`electron/cli/${TS}`],
    rules: {
      'no-restricted-imports': restrictImports([
        electronPackage(M.cliElectron),
        folders(['renderer'], M.electronRenderer),
      ]),
      'no-restricted-syntax': restrictSyntax([...electronByOtherMeans(M.cliElectron), ...noDefaultExport]),
      'no-console': 'off',
    },
  },
  {
    name: 'project/shared',
    files: [`shared/${TS}`],
    rules: {
      'no-restricted-imports': restrictImports([
        folders(['electron', 'renderer'], M.sharedSides),
        electronPackage(M.sharedElectron),
        nodeBuiltins(M.sharedNode),
        react(M.sharedReact),
      ]),
      'no-restricted-syntax': restrictSyntax([
        ...electronByOtherMeans(M.sharedElectron),
        ...nodeByOtherMeans(M.sharedNode),
        ...noDefaultExport,
      ]),
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    name: 'project/renderer',
    files: [`renderer/${TS}`],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restrictImports([
        folders(['electron'], M.rendererElectronDir),
        electronPackage(M.rendererElectron),
        nodeBuiltins(M.rendererNode),
      ]),
      'no-restricted-syntax': restrictSyntax([
        ...electronByOtherMeans(M.rendererElectron),
        ...nodeByOtherMeans(M.rendererNode),
      ]),
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The browser preview (npm run preview:web): a development tool, never packaged. It may use
    // the core, the Account menu model, the build-folder resolver and shared/, but no other shell code (main, window,
    // preload, bridge: those load Electron) and never the renderer's sources (it serves the build).
    name: 'project/preview',
    files: [`preview/${TS}`],
    rules: {
      'no-restricted-imports': restrictImports([
        electronPackage("The preview runs under plain Node: it never imports 'electron'."),
        folders(['renderer'], 'The preview serves the renderer build (out/renderer); it never imports renderer sources.'),
        {
          paths: [],
          patterns: [
            {
              regex: String.raw`^\.\./electron/(?!core/|menu/account-menu-model$|window/asset-path$)`,
              message:
                'The preview may import electron/core, electron/menu/account-menu-model.ts and electron/window/asset-path.ts only (the rest loads Electron).',
            },
          ],
        },
      ]),
      'no-restricted-syntax': restrictSyntax([...electronByOtherMeans("The preview never loads 'electron'."), ...noDefaultExport]),
    },
  },
  {
    // Scripts served to the browser by the preview (plain JS, wrapped in one function by
    // preview/bridge-script.ts, which defines CHANNELS and EVENTS and calls the two factories).
    name: 'project/preview-client',
    files: ['preview/client/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, CHANNELS: 'readonly', EVENTS: 'readonly' } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^(createBridge|mountMenubar)$' }] },
  },
  {
    name: 'project/tests',
    files: [`test/${TS}`],
    rules: {
      // House rule: no focused or skipped tests reach main.
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test', 'suite'].flatMap((object) =>
          ['only', 'skip'].map((property) => ({
            object,
            property,
            message: 'No .only/.skip in committed tests: every test runs and asserts.',
          })),
        ),
      ],
    },
  },
]);
