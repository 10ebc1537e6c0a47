import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { WorkbenchError } from '../../../shared/errors.ts';
import { toolEnv } from '../tool-env.ts';
import { compareVersions } from '../version.ts';

/**
 * The path tools as the runners need them. The runners take any object with `require(name)`, so
 * the workbench's ToolResolver plugs in unchanged once these names are in its table (the specs
 * below are written in ToolResolver's ToolSpec shape, ready to be added there); tests and the
 * standalone `locatePathTools` use them directly.
 */

export const PATH_TOOL_NAMES = ['traceroute', 'tracepath', 'mtr', 'ping', 'stdbuf'] as const;
export type PathToolName = (typeof PATH_TOOL_NAMES)[number];

export interface PathTool {
  path: string;
  version: string | null;
  capabilities: string[];
  /** Environment the tool needs (ToolResolver: a bundled tool's LD_LIBRARY_PATH). */
  env?: Record<string, string>;
}

export interface PathToolSource {
  require(name: PathToolName): Promise<PathTool>;
}

export interface PathToolSpec {
  versionArgs: string[];
  parseVersion(output: string): string | null;
  capabilities(version: string | null): string[];
  remedy: string;
  /** Whether the tool reports a version on this platform (default yes); when not, none is no problem. */
  reportsVersion?(platform: NodeJS.Platform): boolean;
  /** Capabilities as this user can use them, found by trying the tool (cached per binary). */
  probeCapabilities?(path: string, env: Record<string, string>, capabilities: string[]): Promise<string[]>;
}

/**
 * traceroute's probe methods as this user can use them: ICMP and TCP need raw sockets, so for a
 * plain user they turn into "icmp-needs-privileges" (and the Paris TCP mode goes with TCP).
 */
export async function traceroutePrivileges(path: string, env: Record<string, string>, capabilities: string[]): Promise<string[]> {
  if (process.platform !== 'linux') return capabilities;
  const usable = await usableTraceMethods(path, env);
  const needs = (['icmp', 'tcp'] as const).filter((m) => !usable.includes(m));
  const dropped = new Set<string>(['icmp-needs-privileges', 'tcp-needs-privileges', ...needs, ...(needs.includes('tcp') ? ['paris-tcp'] : [])]);
  return [...capabilities.filter((c) => !dropped.has(c)), ...needs.map((m) => `${m}-needs-privileges`)];
}

/** "traceroute" names differ per platform; ToolResolver appends ".exe" on Windows itself. */
export const PATH_TOOL_EXECUTABLES: Record<PathToolName, Partial<Record<NodeJS.Platform, string>>> = {
  traceroute: { win32: 'tracert' },
  tracepath: {},
  mtr: {},
  ping: {},
  stdbuf: {},
};

export const PATH_TOOL_SPECS: Record<PathToolName, PathToolSpec> = {
  traceroute: {
    // Linux: "Modern traceroute for Linux, version 2.1.2". BSD/macOS traceroute has no version
    // option (prints usage with "Version 1.4a12+Darwin"); Windows tracert has none at all.
    versionArgs: ['-V'],
    parseVersion: (out) =>
      /Modern traceroute for Linux, version (\d+\.\d+(?:\.\d+)?)/.exec(out)?.[1] ??
      /[Vv]ersion (\d+\.\d+[\w.+-]*)/.exec(out)?.[1] ??
      null,
    capabilities: (v) => {
      if (v === null) return ['udp', 'icmp'];
      const modern = /^\d/.test(v) && Number.parseInt(v, 10) >= 2;
      // --sport arrived in 2.0.x; -U, -T and --mtu are in every 2.x.
      return modern ? ['udp', 'icmp', 'tcp', 'paris-udp', 'paris-tcp', 'mtu', 'ipv6', 'icmp-needs-privileges', 'tcp-needs-privileges'] : ['udp', 'icmp', 'tcp', 'ipv6'];
    },
    // Windows tracert has no version option; BSD/macOS traceroute only names one in its usage.
    reportsVersion: (platform) => platform === 'linux',
    probeCapabilities: traceroutePrivileges,
    remedy:
      'Install traceroute (Debian/Ubuntu: apt install traceroute; Fedora: dnf install traceroute; macOS and Windows ship one) or set its path in settings. ICMP and TCP probes need root or CAP_NET_RAW on Linux (sudo setcap cap_net_raw+ep "$(readlink -f "$(command -v traceroute)")"); UDP probes do not.',
  },
  tracepath: {
    versionArgs: ['-V'],
    parseVersion: (out) => /iputils[- ]?s?(\d{8}|\d+(?:\.\d+)*)/.exec(out)?.[1] ?? null,
    // Per-hop PMTU and asymmetry hints, no privileges needed. -4/-6 in one binary since 20190515.
    capabilities: (v) => ['udp', 'pmtu', ...(v !== null && /^\d{8}$/.test(v) && Number(v) >= 20190515 ? ['ipv6'] : [])],
    remedy: 'Install tracepath (Debian/Ubuntu: apt install iputils-tracepath) or set its path in settings. It is Linux-only; elsewhere the MTU method uses the ping size search alone.',
  },
  mtr: {
    versionArgs: ['--version'],
    parseVersion: (out) => /mtr (\d+\.\d+(?:\.\d+)?)/.exec(out)?.[1] ?? null,
    capabilities: (v) => {
      const caps = ['icmp', 'udp', 'tcp', 'report'];
      if (v !== null && compareVersions(v, '0.87') >= 0) caps.push('json');
      if (v !== null && compareVersions(v, '0.92') >= 0) caps.push('paris-udp');
      caps.push('interval-below-1s-needs-root');
      return caps;
    },
    remedy: 'Install mtr (Debian/Ubuntu: apt install mtr-tiny; macOS: brew install mtr) or set its path in settings. It uses mtr-packet, which needs CAP_NET_RAW (the packages set it up).',
  },
  ping: {
    versionArgs: ['-V'],
    parseVersion: (out) => /iputils[- ]?s?(\d{8}|\d+(?:\.\d+)*)/.exec(out)?.[1] ?? null,
    capabilities: (v) => (v !== null ? ['icmp', 'ipv6', 'df', 'report-outstanding'] : ['icmp', 'df']),
    // Only iputils ping (Linux) has -V; macOS, BSD and Windows ping have no version option.
    reportsVersion: (platform) => platform === 'linux',
    remedy: 'ping is part of every OS (Debian/Ubuntu: apt install iputils-ping). Set its path in settings if it is not on PATH.',
  },
  // tracepath writes to a pipe in blocks; stdbuf -oL makes its hops arrive as they happen.
  stdbuf: {
    versionArgs: ['--version'],
    parseVersion: (out) => /stdbuf \(GNU coreutils\) (\d+(?:\.\d+)*)/.exec(out)?.[1] ?? null,
    capabilities: () => ['line-buffered-output'],
    remedy: 'stdbuf is part of GNU coreutils (Linux). Without it, tracepath hops appear only when it finishes.',
  },
};

async function isExecutable(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A minimal PathToolSource that searches a PATH string (default: this process's PATH plus the
 * sbin directories where Debian keeps traceroute) and probes versions once. For tests and for
 * hosts without the workbench's resolver.
 */
export function locatePathTools(options: { searchPath?: string; platform?: NodeJS.Platform } = {}): PathToolSource {
  const platform = options.platform ?? process.platform;
  const searchPath = options.searchPath ?? [process.env.PATH ?? '', '/usr/sbin', '/sbin', '/usr/local/sbin'].join(delimiter);
  const cache = new Map<PathToolName, Promise<PathTool>>();
  const find = async (name: PathToolName): Promise<PathTool> => {
    const base = PATH_TOOL_EXECUTABLES[name][platform] ?? name;
    const exe = platform === 'win32' ? `${base}.exe` : base;
    for (const dir of searchPath.split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, exe);
      if (!(await isExecutable(candidate))) continue;
      const spec = PATH_TOOL_SPECS[name];
      const probe = await execa(candidate, spec.versionArgs, { reject: false, timeout: 5000, extendEnv: false, env: toolEnv(), stdin: 'ignore' });
      const version = spec.parseVersion(`${String(probe.stdout)}\n${String(probe.stderr)}`);
      return { path: candidate, version, capabilities: spec.capabilities(version) };
    }
    throw new WorkbenchError('TOOL_MISSING', `${name} is not installed. ${PATH_TOOL_SPECS[name].remedy}`);
  };
  return {
    require(name) {
      let pending = cache.get(name);
      if (!pending) {
        pending = find(name);
        cache.set(name, pending);
        pending.catch(() => cache.delete(name));
      }
      return pending;
    },
  };
}

/**
 * What this traceroute can do *for this user*, by trying it against loopback (a few ms each):
 * ICMP and TCP need raw sockets (root, CAP_NET_RAW, or for ICMP a ping_group_range that includes
 * the user). Returns e.g. ['udp', 'icmp', 'tcp'] for root, ['udp'] for a plain user. For the tools
 * screen ("needs privileges") and to pick a method that will work.
 */
export async function usableTraceMethods(traceroutePath: string, env?: Record<string, string>): Promise<Array<'udp' | 'icmp' | 'tcp'>> {
  const usable: Array<'udp' | 'icmp' | 'tcp'> = [];
  for (const [method, flags] of [
    ['udp', []],
    ['icmp', ['-I']],
    ['tcp', ['-T']],
  ] as const) {
    const r = await execa(traceroutePath, ['-n', '-4', '-m', '1', '-q', '1', '-w', '0.5', ...flags, '--', '127.0.0.1'], {
      reject: false,
      timeout: 5000,
      extendEnv: false,
      env: toolEnv(env),
      stdin: 'ignore',
    });
    if (r.exitCode === 0 && /127\.0\.0\.1\s+\d/.test(String(r.stdout))) usable.push(method);
  }
  return usable;
}
