// Preloaded (node --require) into a child process: at exit, says on stderr whether the
// SQLite driver was ever loaded. The Node version guard must refuse before it is.
process.on('exit', () => {
  const loaded = Object.keys(require.cache).some((p) => p.includes('better-sqlite3'));
  process.stderr.write(`[probe] better-sqlite3 loaded: ${loaded}\n`);
});
