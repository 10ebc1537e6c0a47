import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';
import { namespaceName, randomLabId } from './names.ts';

const execFileAsync = promisify(execFile);

/** Programs the lab and its self-checks run (Debian: iproute2 nftables procps iputils-ping iputils-tracepath traceroute iperf3 python3). */
export const REQUIRED_TOOLS = ['ip', 'tc', 'nft', 'sysctl', 'ss', 'ping', 'tracepath', 'traceroute', 'iperf3', 'python3'] as const;

async function onPath(tool: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (!dir) continue;
    try {
      await access(`${dir}/${tool}`, constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

/** Creates and deletes a throwaway namespace: the only reliable test that we may. */
async function canCreateNamespace(): Promise<string | null> {
  const ns = namespaceName(`chk${randomLabId().slice(0, 5)}`, 'probe');
  try {
    await execFileAsync('ip', ['netns', 'add', ns], { timeout: 10_000 });
  } catch (error) {
    return `\`ip netns add\` failed: ${((error as { stderr?: string }).stderr ?? (error as Error).message).trim()}`;
  }
  await execFileAsync('ip', ['netns', 'del', ns], { timeout: 10_000 }).catch(() => undefined);
  return null;
}

let cached: Promise<string | null> | null = null;

/** Why the lab cannot run on this machine, or null when it can. Checked once per process. */
export function labUnavailableReason(): Promise<string | null> {
  cached ??= (async () => {
    if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
    if (process.getuid?.() !== 0) return 'network namespaces need root (run as root, e.g. in CI via .ci/run)';
    const missing: string[] = [];
    for (const tool of REQUIRED_TOOLS) if (!(await onPath(tool))) missing.push(tool);
    if (missing.length > 0) return `missing programs: ${missing.join(', ')} (Debian: apt install iproute2 nftables iputils-ping iputils-tracepath traceroute iperf3 python3)`;
    try {
      await access('/dev/net/tun', constants.R_OK | constants.W_OK);
    } catch {
      return '/dev/net/tun is missing (the delay line needs a TUN device)';
    }
    return canCreateNamespace();
  })();
  return cached;
}
