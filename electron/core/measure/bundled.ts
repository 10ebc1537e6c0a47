import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { platformDirName } from './platform.ts';

/** Staged helper binaries in a checkout (resources/bin/<os>-<arch>), when `npm run stage:native` ran. */
export function checkoutBundledDir(): string | null {
  const dir = join(fileURLToPath(new URL('../../../resources/bin', import.meta.url)), platformDirName());
  return existsSync(dir) ? dir : null;
}
