import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { inNamespace, inNamespaceArgv } from './commands.ts';

/** How to tell that a service started in the lab is ready for traffic. */
export type Readiness =
  | { readonly kind: 'stdout'; readonly pattern: RegExp }
  | { readonly kind: 'listening'; readonly protocol: 'tcp' | 'udp'; readonly port: number }
  | { readonly kind: 'check'; readonly check: () => Promise<boolean> };

export interface SpawnOptions {
  readonly ready?: Readiness;
  /** Default 10 s. */
  readonly readyTimeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** Survive this Node process (for labs made by hand); output is not kept. */
  readonly detached?: boolean;
}

export interface ProcessExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
}

const OUTPUT_LIMIT = 64 * 1024;
const POLL_MS = 50;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function isListening(ns: string, protocol: 'tcp' | 'udp', port: number): Promise<boolean> {
  const result = await inNamespace(ns, ['ss', '-H', '-l', '-n', protocol === 'tcp' ? '-t' : '-u', 'sport', '=', `:${port}`], { reject: false });
  return result.exitCode === 0 && String(result.stdout).trim() !== '';
}

/** A long-running program inside a lab namespace; the lab stops it on `down` if nobody did. */
export class LabProcess {
  readonly node: string;
  readonly ns: string;
  readonly argv: readonly string[];
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  #stdout = '';
  #stderr = '';
  #exit: ProcessExit | null = null;
  readonly #kill: (signal: NodeJS.Signals) => void;
  readonly #hold: (held: boolean) => void = () => undefined;

  constructor(node: string, ns: string, argv: readonly string[], options: SpawnOptions = {}) {
    this.node = node;
    this.ns = ns;
    this.argv = argv;
    const [file, ...args] = inNamespaceArgv(ns, argv);
    if (options.detached) {
      // outlives this process: a plain detached child with no pipes back to us
      const child = spawn(file as string, args, { detached: true, stdio: 'ignore', env: { ...process.env, LC_ALL: 'C', ...options.env } });
      if (child.pid === undefined) throw new Error(`Could not start ${argv.join(' ')} in ${ns}.`);
      child.unref();
      this.pid = child.pid;
      this.exited = new Promise((resolve) => child.once('exit', (exitCode, signal) => resolve((this.#exit = { exitCode, signal }))));
      this.#kill = (signal) => child.kill(signal);
      // unref'd so it outlives us, but while `stop` waits for it the loop must stay open
      this.#hold = (held) => (held ? child.ref() : child.unref());
      return;
    }
    const child = execa(file as string, args, {
      reject: false,
      buffer: false,
      stdin: 'ignore',
      cleanup: true,
      env: { LC_ALL: 'C', ...options.env },
    });
    if (child.pid === undefined) throw new Error(`Could not start ${argv.join(' ')} in ${ns}.`);
    this.pid = child.pid;
    this.#kill = (signal) => child.kill(signal);
    child.stdout?.on('data', (chunk: Buffer) => {
      this.#stdout = (this.#stdout + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    });
    this.exited = child.then(
      (result) => (this.#exit = { exitCode: result.exitCode ?? null, signal: result.signal ?? null }),
      () => (this.#exit = { exitCode: null, signal: null }),
    );
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  get running(): boolean {
    return this.#exit === null;
  }

  describe(): string {
    return `${this.argv.join(' ')} (pid ${this.pid} in ${this.ns})`;
  }

  async waitUntilReady(ready: Readiness, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`${this.describe()} exited (${JSON.stringify(this.#exit)}) before it was ready.\n${this.#stderr || this.#stdout}`.trim());
      }
      if (await this.#isReady(ready)) return;
      await sleep(POLL_MS);
    }
    await this.stop();
    throw new Error(`${this.describe()} was not ready after ${timeoutMs} ms.\n${this.#stderr || this.#stdout}`.trim());
  }

  async #isReady(ready: Readiness): Promise<boolean> {
    if (ready.kind === 'stdout') return ready.pattern.test(this.#stdout);
    if (ready.kind === 'listening') return isListening(this.ns, ready.protocol, ready.port);
    return ready.check();
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 2000): Promise<ProcessExit> {
    if (this.running) {
      this.#hold(true);
      this.#kill('SIGTERM');
      const timer = setTimeout(() => this.#kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
      this.#hold(false);
    }
    return this.#exit as ProcessExit;
  }
}
