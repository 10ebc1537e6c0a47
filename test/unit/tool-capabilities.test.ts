import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolResolver } from '../../electron/core/measure/tools.ts';
import { PATH_TOOL_SPECS } from '../../electron/core/measure/trace/tools.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir('psw-tool-caps-');
afterAll(() => dir.remove());

/** A traceroute 2.1.2 as a plain user sees it: UDP works, -I and -T fail for want of a raw socket. */
function plainUserTraceroute(bin: string): void {
  mkdirSync(bin, { recursive: true });
  const path = join(bin, 'traceroute');
  writeFileSync(
    path,
    `#!/bin/sh
case "$1" in -V) echo "Modern traceroute for Linux, version 2.1.2"; exit 0;; esac
for a in "$@"; do case "$a" in -I|-T) echo "socket: Operation not permitted" >&2; exit 1;; esac; done
echo "traceroute to 127.0.0.1 (127.0.0.1), 1 hops max, 60 byte packets"
echo " 1  127.0.0.1  0.030 ms"
`,
  );
  chmodSync(path, 0o755);
}

describe('the tools screen reports what works for this user', () => {
  it.runIf(process.platform === 'linux')('traceroute: ICMP and TCP marked as needing privileges when this user cannot use them', async () => {
    const bin = join(dir.path, 'bin');
    plainUserTraceroute(bin);
    const info = await new ToolResolver({ bundledDir: null, searchPath: bin }).describe('traceroute');
    expect(info).toMatchObject({ version: '2.1.2', problem: null, remedy: null });
    expect(info.capabilities).toEqual(expect.arrayContaining(['udp', 'paris-udp', 'icmp-needs-privileges', 'tcp-needs-privileges']));
    expect(info.capabilities).not.toContain('icmp');
    expect(info.capabilities).not.toContain('tcp');
    expect(info.capabilities).not.toContain('paris-tcp');
  });

  it('a tool with no version option on its platform (tracert, macOS ping) is not a problem there', () => {
    expect(PATH_TOOL_SPECS.traceroute.reportsVersion?.('win32')).toBe(false);
    expect(PATH_TOOL_SPECS.traceroute.reportsVersion?.('darwin')).toBe(false);
    expect(PATH_TOOL_SPECS.ping.reportsVersion?.('darwin')).toBe(false);
    expect(PATH_TOOL_SPECS.ping.reportsVersion?.('win32')).toBe(false);
    expect(PATH_TOOL_SPECS.ping.reportsVersion?.('linux')).toBe(true);
    expect(PATH_TOOL_SPECS.traceroute.reportsVersion?.('linux')).toBe(true);
  });
});
