import type { PathToolSpec } from '../trace/tools.ts';

/**
 * perfSONAR's owping and twping (owamp 5.x), for `--tool system`: found like every other external
 * tool (configured path → bundled → PATH). Neither has a version option; `-h` prints the usage
 * with "Version: 5.2.3-1" at the end (on stderr, exit 0) and touches no network.
 */

export const SYSTEM_ONEWAY_TOOL_NAMES = ['owping', 'twping'] as const;
export type SystemOnewayToolName = (typeof SYSTEM_ONEWAY_TOOL_NAMES)[number];

export function parseOwampVersion(output: string): string | null {
  return /^\s*Version:\s*(\d+\.\d+(?:\.\d+)?(?:-\d+)?)\s*$/m.exec(output)?.[1] ?? null;
}

function remedy(tool: SystemOnewayToolName, pkg: string, what: string): string {
  return `${tool} is perfSONAR's ${what}: install its ${pkg} package (Debian/Ubuntu: apt install ${pkg}; EL: dnf install ${pkg}; see docs.perfsonar.net) or build github.com/perfsonar/owamp, and put ${tool} on PATH. Only --tool system needs it; the built-in client needs nothing.`;
}

export const SYSTEM_ONEWAY_TOOL_SPECS: Record<SystemOnewayToolName, PathToolSpec> = {
  owping: {
    versionArgs: ['-h'],
    parseVersion: parseOwampVersion,
    capabilities: () => ['owamp', 'raw-records', 'dscp'],
    remedy: remedy('owping', 'owamp-client', 'OWAMP client'),
  },
  twping: {
    versionArgs: ['-h'],
    parseVersion: parseOwampVersion,
    capabilities: () => ['twamp', 'raw-records'],
    remedy: remedy('twping', 'twamp-client', 'TWAMP client (no TWAMP-Light)'),
  },
};
