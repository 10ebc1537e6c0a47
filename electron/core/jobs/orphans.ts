import { readFileSync } from 'node:fs';

/**
 * Ends a tool left running by a workbench that was killed (SIGKILL, a crash): its runs are
 * interrupted, but an iperf3 would keep loading the link for the rest of its test. Only when the
 * process can be proved to be that tool, by its argv in /proc (Linux): a reused pid belongs to a
 * stranger and is never touched. Returns whether it sent the signal.
 */
export function endLeftoverTool(pid: number, command: readonly string[], readCmdline = (p: number) => readFileSync(`/proc/${p}/cmdline`, 'utf8')): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || command.length === 0) return false;
  let argv: string[];
  try {
    argv = readCmdline(pid).split('\0');
  } catch {
    return false;
  }
  if (argv[argv.length - 1] === '') argv.pop();
  if (argv.length !== command.length || argv.some((arg, i) => arg !== command[i])) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
