#!/usr/bin/env node
// Starts the psw command (TypeScript) under Node's built-in type stripping. Node >= 22.18 strips
// types by default; 22.12-22.17 need the flag, so the launcher re-executes itself with it.
import { spawn } from 'node:child_process';

const entry = new URL('../electron/cli/process.ts', import.meta.url);

if (process.features.typescript) {
  await import(entry.href);
} else {
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', new URL(import.meta.url).pathname, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
