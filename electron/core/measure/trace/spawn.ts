import { execa } from 'execa';
import { toolEnv } from '../tool-env.ts';

/**
 * Runs one path tool: argv only (no shell), a clean C-locale environment, a hard time budget, and
 * cancellation that escalates to SIGKILL. stdout is handed over line by line as it arrives and
 * also kept verbatim for storage.
 */

export const KILL_GRACE_MS = 2000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const MAX_PENDING_CHARS = 64 * 1024;

export interface ToolProcess {
  command: string;
  args: string[];
  signal: AbortSignal;
  timeoutMs: number;
  /** The tool's environment (a bundled tool's LD_LIBRARY_PATH, MTR_PACKET); LANG and LC_ALL are always C. */
  env?: Record<string, string>;
  /** Each complete stdout line, as it arrives. Exceptions thrown here are swallowed. */
  onLine?(line: string): void;
  onSpawn?(pid: number | undefined): void;
}

export interface ToolExit {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** The process could not be started at all (ENOENT, EACCES …). */
  spawnError: string | null;
  outputTooLarge: boolean;
  durationMs: number;
}

export async function runToolProcess(p: ToolProcess): Promise<ToolExit> {
  const started = Date.now();
  const child = execa(p.command, p.args, {
    cancelSignal: p.signal,
    forceKillAfterDelay: KILL_GRACE_MS,
    timeout: p.timeoutMs,
    cleanup: true,
    windowsHide: true,
    extendEnv: false,
    env: toolEnv(p.env),
    stdin: 'ignore',
    reject: false,
    maxBuffer: MAX_OUTPUT_BYTES,
    stripFinalNewline: false,
    encoding: 'utf8',
  });
  p.onSpawn?.(child.pid);
  if (p.onLine) {
    const onLine = p.onLine;
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer | string) => {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let newline = pending.search(/\r?\n|\r/);
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        const skip = pending.startsWith('\r\n', newline) ? 2 : 1;
        pending = pending.slice(newline + skip);
        try {
          onLine(line);
        } catch {
          // a listener's failure must not disturb the measurement
        }
        newline = pending.search(/\r?\n|\r/);
      }
      if (pending.length > MAX_PENDING_CHARS) pending = pending.slice(-MAX_PENDING_CHARS);
    });
  }
  const result = await child;
  const failure = result.failed && !result.isCanceled && !result.timedOut && result.exitCode === undefined && !result.signal ? (result.originalMessage ?? result.shortMessage ?? 'could not start') : null;
  return {
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut: result.timedOut === true,
    cancelled: result.isCanceled === true || (p.signal.aborted && !result.timedOut),
    spawnError: failure,
    outputTooLarge: result.isMaxBuffer === true,
    durationMs: Date.now() - started,
  };
}
