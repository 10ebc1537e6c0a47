import { readFileSync } from 'node:fs';
import { readRecord, labNamespaces } from './registry.ts';
import { captureRootState, rootLeaks } from './safety.ts';

export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Everything a lab could leave behind: namespaces (and with them veths), its record, processes, root interfaces. */
export function leftovers(labId: string, pids: readonly number[] = []): string[] {
  return [
    ...labNamespaces(labId).map((ns) => `namespace ${ns}`),
    ...(readRecord(labId) ? [`record of lab ${labId}`] : []),
    ...pids.filter(processAlive).map((pid) => `process ${pid}`),
    ...rootLeaks(captureRootState()),
  ];
}
