import { execa, type Result } from 'execa';
import { assertLabNamespace, assertSafeIpCommand } from './safety.ts';

export interface CommandOptions {
  /** Kill the command after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Throw on a non-zero exit (default true). */
  readonly reject?: boolean;
  readonly input?: string;
}

export type CommandResult = Result<{ reject: false }>;

export class LabCommandError extends Error {
  readonly argv: readonly string[];
  readonly result: CommandResult;

  constructor(argv: readonly string[], result: CommandResult) {
    const why = result.timedOut ? 'timed out' : result.signal ? `killed by ${result.signal}` : `exited ${result.exitCode}`;
    super(`${argv.join(' ')} ${why}${result.stderr ? `: ${String(result.stderr).trim()}` : ''}`);
    this.name = 'LabCommandError';
    this.argv = argv;
    this.result = result;
  }
}

/** Runs one program from the root namespace (only `ip netns ...` style commands go through here). */
export async function run(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('Empty command.');
  const result = await execa(file, args, {
    reject: false,
    timeout: options.timeoutMs ?? 30_000,
    forceKillAfterDelay: 1000,
    env: { LC_ALL: 'C', LANG: 'C' },
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    stripFinalNewline: false,
  });
  if (options.reject !== false && (result.failed || result.exitCode !== 0)) throw new LabCommandError(argv, result);
  return result;
}

/** The argv that runs `argv` inside a lab namespace; refuses any other namespace. */
export function inNamespaceArgv(ns: string, argv: readonly string[]): string[] {
  assertLabNamespace(ns);
  if (argv.length === 0) throw new Error('Empty command.');
  return ['ip', 'netns', 'exec', ns, ...argv];
}

export async function inNamespace(ns: string, argv: readonly string[], options?: CommandOptions): Promise<CommandResult> {
  return run(inNamespaceArgv(ns, argv), options);
}

/** `ip -n NS ...`: iproute2 switches into the namespace before it talks to the kernel. */
export async function ip(ns: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult> {
  assertLabNamespace(ns);
  assertSafeIpCommand(args.join(' '));
  return run(['ip', '-n', ns, ...args], options);
}

/** Many `ip` commands in one process; `family` 6 makes `rule` lines IPv6 (routes follow their addresses). */
export async function ipBatch(ns: string, lines: readonly string[], family: 4 | 6 = 4): Promise<CommandResult> {
  assertLabNamespace(ns);
  for (const line of lines) assertSafeIpCommand(line);
  return run(['ip', ...(family === 6 ? ['-6'] : []), '-n', ns, '-batch', '-'], { input: `${lines.join('\n')}\n` });
}

export async function tc(ns: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult> {
  assertLabNamespace(ns);
  return run(['tc', '-n', ns, ...args], options);
}

export async function nft(ns: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult> {
  return inNamespace(ns, ['nft', ...args], options);
}

export async function nftScript(ns: string, script: string): Promise<CommandResult> {
  return inNamespace(ns, ['nft', '-f', '-'], { input: script });
}

export async function sysctl(ns: string, settings: Readonly<Record<string, string | number>>): Promise<CommandResult> {
  const pairs = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  return inNamespace(ns, ['sysctl', '-q', '-w', ...pairs]);
}

export async function readSysctl(ns: string, key: string): Promise<string> {
  const result = await inNamespace(ns, ['sysctl', '-n', key]);
  return String(result.stdout).trim().replace(/\s+/g, ' ');
}
