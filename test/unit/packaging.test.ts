import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const config = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');

describe('electron-builder configuration', () => {
  it('flips the security fuses for packaged builds', () => {
    for (const line of ['runAsNode: false', 'enableNodeOptionsEnvironmentVariable: false', 'enableNodeCliInspectArguments: false', 'enableEmbeddedAsarIntegrityValidation: true', 'onlyLoadAppFromAsar: true', 'grantFileProtocolExtraPrivileges: false']) {
      expect(config).toContain(line);
    }
  });
  it('keeps native code and helper binaries outside the asar, per target os and arch', () => {
    expect(config).toMatch(/asarUnpack:\n(?:\s+#.*\n)*\s+- '\*\*\/\*\.node'/);
    expect(config).toContain('from: resources/bin/${os}-${arch}');
    expect(config).not.toContain('${platform}');
  });
});
