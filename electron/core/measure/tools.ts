import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { WorkbenchError } from '../../shared/errors.ts';
import type { ToolInfo, ToolName } from '../../shared/tools.ts';
import { SYSTEM_ONEWAY_TOOL_SPECS } from './oneway/system-tools.ts';
import { PATH_TOOL_EXECUTABLES, PATH_TOOL_SPECS, type PathToolSpec } from './trace/tools.ts';
import { toolEnv } from './tool-env.ts';
import { compareVersions } from './version.ts';

export { compareVersions };

type ToolSpec = PathToolSpec;

const SPECS: Record<ToolName, ToolSpec> = {
  iperf3: {
    versionArgs: ['--version'],
    parseVersion: (out) => /iperf\s+(\d+\.\d+(?:\.\d+)?)/.exec(out)?.[1] ?? null,
    capabilities: (v) => {
      const caps = ['json'];
      if (v && compareVersions(v, '3.17') >= 0) caps.push('json-stream');
      if (v && compareVersions(v, '3.7') >= 0) caps.push('bidir');
      return caps;
    },
    remedy: 'Install iperf3 (Debian/Ubuntu: apt install iperf3; macOS: brew install iperf3) or set its path in settings.',
  },
  ss: {
    versionArgs: ['-V'],
    parseVersion: (out) => /iproute2-?([\w.]+)/.exec(out)?.[1] ?? null,
    capabilities: () => ['tcp-info'],
    remedy: 'ss comes with iproute2 on Linux; without it, live progress on older iperf3 shows bytes only.',
  },
  ...PATH_TOOL_SPECS,
  ...SYSTEM_ONEWAY_TOOL_SPECS,
};

/** Executable base name per platform (Windows calls traceroute tracert). */
function executableName(name: ToolName): string {
  const base = (PATH_TOOL_EXECUTABLES as Partial<Record<ToolName, Partial<Record<NodeJS.Platform, string>>>>)[name]?.[process.platform] ?? name;
  return process.platform === 'win32' ? `${base}.exe` : base;
}

export interface ResolvedTool {
  name: ToolName;
  path: string;
  version: string | null;
  capabilities: string[];
  /** Environment the tool needs (bundled Linux tools find their shared libraries through it). */
  env: Record<string, string>;
}

export interface ToolResolverOptions {
  /**
   * User-configured absolute paths, checked first: an explicit choice wins over the bundled
   * default. A function is asked on every lookup (the workbench reads them from its settings).
   */
  configured?: Partial<Record<ToolName, string>> | (() => Partial<Record<ToolName, string>>);
  /** Directory of binaries bundled with the app (resources/bin/<os>-<arch>). */
  bundledDir?: string | null;
  /** PATH to search; defaults to process.env.PATH. */
  searchPath?: string;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why `path` cannot be used as a configured tool, or null when it is an executable regular file. */
export async function toolPathProblem(path: string): Promise<string | null> {
  const info = await stat(path).catch(() => null);
  if (!info) return `${path} does not exist`;
  if (!info.isFile()) return `${path} is not a regular file`;
  if (!(await isExecutableFile(path))) return `${path} is not executable`;
  return null;
}

/**
 * One resolver for every external binary: configured path → bundled → PATH. Results are cached
 * per path and modification time, so a version probe runs once per binary.
 */
export class ToolResolver {
  readonly #options: ToolResolverOptions;
  readonly #versionCache = new Map<string, string | null>();
  readonly #capabilityCache = new Map<string, Promise<string[]>>();

  constructor(options: ToolResolverOptions = {}) {
    this.#options = options;
  }

  /** Bundled Linux tools carry their non-base shared libraries in lib/ beside them. */
  envFor(path: string, source: ToolInfo['source']): Record<string, string> {
    if (source !== 'bundled' || process.platform !== 'linux' || !this.#options.bundledDir) return {};
    return { LD_LIBRARY_PATH: join(this.#options.bundledDir, 'lib') };
  }

  configuredPath(name: ToolName): string | null {
    const configured = this.#options.configured;
    return (typeof configured === 'function' ? configured() : configured)?.[name] ?? null;
  }

  async locate(name: ToolName): Promise<{ path: string; source: ToolInfo['source'] } | null> {
    const exe = executableName(name);
    const configured = this.configuredPath(name);
    if (configured && (await isExecutableFile(configured))) return { path: configured, source: 'configured' };
    if (this.#options.bundledDir) {
      const bundled = join(this.#options.bundledDir, exe);
      if (await isExecutableFile(bundled)) return { path: bundled, source: 'bundled' };
    }
    // Non-root PATHs on Linux often leave out the sbin directories where traceroute and ss live.
    const searchPath = this.#options.searchPath ?? [process.env.PATH ?? '', ...(process.platform === 'linux' ? ['/usr/sbin', '/sbin'] : [])].join(delimiter);
    for (const dir of searchPath.split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, exe);
      if (await isExecutableFile(candidate)) return { path: candidate, source: 'path' };
    }
    return null;
  }

  async version(name: ToolName, path: string, env: Record<string, string> = {}): Promise<string | null> {
    const info = await stat(path).catch(() => null);
    const key = `${path}:${info?.mtimeMs ?? 0}`;
    if (this.#versionCache.has(key)) return this.#versionCache.get(key) ?? null;
    const spec = SPECS[name];
    const result = await execa(path, spec.versionArgs, { reject: false, timeout: 5000, extendEnv: false, env: toolEnv(env), stdin: 'ignore' });
    const version = spec.parseVersion(`${String(result.stdout)}\n${String(result.stderr)}`);
    this.#versionCache.set(key, version);
    return version;
  }

  async describe(name: ToolName): Promise<ToolInfo> {
    const spec = SPECS[name];
    const found = await this.locate(name);
    if (!found) {
      const configured = this.configuredPath(name);
      const problem = configured ? `${name} was not found (the configured ${configured} is not an executable file)` : `${name} was not found`;
      return { name, path: null, source: null, version: null, capabilities: [], problem, remedy: spec.remedy };
    }
    const env = this.envFor(found.path, found.source);
    const version = await this.version(name, found.path, env);
    const configured = this.configuredPath(name);
    const ignored = configured && found.source !== 'configured' ? `the configured ${configured} is not an executable file, so ${found.source === 'bundled' ? 'the bundled one' : 'the one on PATH'} is used` : null;
    const noVersion = version === null && (spec.reportsVersion?.(process.platform) ?? true) ? `${name} at ${found.path} did not report a version` : null;
    const problem = ignored ?? noVersion;
    return {
      name,
      path: found.path,
      source: found.source,
      version,
      capabilities: await this.#capabilities(spec, found.path, env, version),
      problem,
      remedy: problem ? spec.remedy : null,
    };
  }

  /** The spec's capabilities, narrowed by trying the tool where the spec can (once per binary and its attributes). */
  async #capabilities(spec: ToolSpec, path: string, env: Record<string, string>, version: string | null): Promise<string[]> {
    const declared = spec.capabilities(version);
    if (!spec.probeCapabilities) return declared;
    // ctime also moves when capabilities (setcap) or ownership change, which is what privileges hang on.
    const info = await stat(path).catch(() => null);
    const key = `${path}:${info?.mtimeMs ?? 0}:${info?.ctimeMs ?? 0}`;
    let probed = this.#capabilityCache.get(key);
    if (!probed) {
      probed = spec.probeCapabilities(path, env, declared).catch(() => declared);
      this.#capabilityCache.set(key, probed);
    }
    return probed;
  }

  /** Resolves a tool for use; throws TOOL_MISSING with the remedy when it cannot. */
  async require(name: ToolName): Promise<ResolvedTool> {
    const tool = await this.optional(name);
    if (!tool) throw new WorkbenchError('TOOL_MISSING', `${name} is not installed. ${SPECS[name].remedy}`);
    return tool;
  }

  async optional(name: ToolName): Promise<ResolvedTool | null> {
    const info = await this.describe(name);
    if (!info.path) return null;
    return { name, path: info.path, version: info.version, capabilities: info.capabilities, env: this.envFor(info.path, info.source) };
  }
}
