import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'trace');

/** A fixture's stdout (`<dir>/<name>.txt`). */
export function fixture(path: string): string {
  return readFileSync(join(ROOT, `${path}.txt`), 'utf8');
}

/** A fixture's stderr, or '' when the tool printed none. */
export function fixtureStderr(path: string): string {
  const file = join(ROOT, `${path}.stderr`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Addresses of each hop, "*" for none: the shape most assertions compare. */
export function addresses(trace: { hops: Array<{ responders: Array<{ address: string }> }> }): string[] {
  return trace.hops.map((h) => h.responders.map((r) => r.address).join('|') || '*');
}

export const SERVER = '198.18.9.1';
export const SERVER6 = '2001:db8:9::1';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Every string in a parsed structure is bounded and free of control characters. */
export function assertClean(value: unknown, maxLength = 500, depth = 0): void {
  if (depth > 10) return;
  if (typeof value === 'string') {
    if (CONTROL.test(value)) throw new Error(`control character in ${JSON.stringify(value.slice(0, 80))}`);
    if (value.length > maxLength) throw new Error(`string of ${value.length} characters`);
  } else if (Array.isArray(value)) for (const v of value) assertClean(v, maxLength, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) assertClean(v, maxLength, depth + 1);
}
