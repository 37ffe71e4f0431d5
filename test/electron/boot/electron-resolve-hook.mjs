// Module resolution hook for the boot test's child process: the built main bundle's
// `import … from 'electron'` resolves to the typed fake, never the real package
// (whose first load tries to download Electron's binary).
const FAKE = new URL('./fake-electron-module.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: FAKE, shortCircuit: true };
  return next(specifier, context);
}
