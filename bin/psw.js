#!/usr/bin/env node
// Starts the psw command (TypeScript) under Node's built-in type stripping. Node >= 22.18 strips
// types by default; 22.12-22.17 need the flag, so the launcher re-executes itself with it.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const entry = new URL('../electron/cli/process.ts', import.meta.url);

if (process.features.typescript) {
  await import(entry.href);
} else {
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  // A child killed by a signal is reported the way a shell does: 128 + the signal's number.
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
}
