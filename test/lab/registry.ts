import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_PREFIX, namespaceName, parseLabNamespace } from './names.ts';
import { assertLabNamespace } from './safety.ts';

/** One file per lab, written before its first namespace exists, removed after the last is gone. */
export const STATE_DIR = '/run/pswlab';

export interface LabOwner {
  readonly pid: number;
  /** /proc/PID/stat start time: tells a live owner from a recycled pid. */
  readonly startTime: string;
}

export interface LabRecord {
  readonly id: string;
  readonly topology: string;
  readonly nodes: readonly string[];
  /** null for labs made by `npm run lab -- up`: they live until `down`. */
  readonly owner: LabOwner | null;
  readonly createdAt: string;
}

function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function currentOwner(): LabOwner {
  return { pid: process.pid, startTime: processStartTime(process.pid) ?? '' };
}

export function ownerAlive(owner: LabOwner): boolean {
  return processStartTime(owner.pid) === owner.startTime;
}

export function recordPath(id: string): string {
  return join(STATE_DIR, `${id}.json`);
}

export function writeRecord(record: LabRecord): void {
  mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(recordPath(record.id), `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
}

export function readRecord(id: string): LabRecord | null {
  try {
    return JSON.parse(readFileSync(recordPath(id), 'utf8')) as LabRecord;
  } catch {
    return null;
  }
}

export function listRecords(): LabRecord[] {
  let files: string[] = [];
  try {
    files = readdirSync(STATE_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => readRecord(f.slice(0, -'.json'.length))).filter((r): r is LabRecord => r !== null);
}

function capture(argv: string[]): string {
  const [file, ...args] = argv;
  return execFileSync(file as string, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Lab namespaces present on the machine, all labs or one. */
export function labNamespaces(labId?: string): string[] {
  const names = capture(['ip', 'netns', 'list']).split('\n').map((line) => line.split(' ')[0] ?? '');
  return names.filter((name) => name.startsWith(LAB_PREFIX) && parseLabNamespace(name) !== null && (labId === undefined || parseLabNamespace(name)?.labId === labId));
}

export function pidsInNamespace(ns: string): number[] {
  assertLabNamespace(ns);
  try {
    return capture(['ip', 'netns', 'pids', ns]).split('\n').map(Number).filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Removes a lab without awaiting anything, so it also works from an 'exit' handler: kills every
 * process inside its namespaces (TERM, then KILL), deletes the namespaces (which removes their
 * veths), then the record. Returns what could not be removed.
 */
export function destroyLabSync(id: string, nodes: readonly string[] = []): string[] {
  const namespaces = new Set([...nodes.map((node) => namespaceName(id, node)), ...labNamespaces(id)]);
  const pids = [...namespaces].flatMap((ns) => pidsInNamespace(ns)).filter((pid) => pid !== process.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  for (let waited = 0; waited < 2000 && pids.some(alive); waited += 50) sleepSync(50);
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const problems: string[] = [];
  for (const ns of namespaces) {
    try {
      capture(['ip', 'netns', 'del', ns]);
    } catch (error) {
      if (labNamespaces(id).includes(ns)) problems.push(`namespace ${ns}: ${(error as Error).message.trim()}`);
    }
  }
  rmSync(recordPath(id), { force: true });
  return problems;
}

export interface ReapOptions {
  /** Also remove labs made by hand (`npm run lab -- up`), and labs of live owners. */
  readonly everything?: boolean;
}

/**
 * Removes labs whose owner is gone (a test run killed with SIGKILL, a crashed CLI) and namespaces
 * with our prefix that have no record at all. Labs of live processes — other test runs on the
 * same machine — and hand-made labs stay unless `everything` is set.
 */
export function reapStaleLabs(options: ReapOptions = {}): string[] {
  const reaped: string[] = [];
  const records = new Map(listRecords().map((r) => [r.id, r]));
  const ids = new Set([...records.keys(), ...labNamespaces().map((ns) => parseLabNamespace(ns)?.labId ?? '')]);
  for (const id of ids) {
    if (!id) continue;
    const record = records.get(id) ?? readRecord(id) ?? undefined;
    const keep = !options.everything && record !== undefined && (record.owner === null || ownerAlive(record.owner));
    if (keep) continue;
    destroyLabSync(id, record?.nodes ?? []);
    reaped.push(id);
  }
  return reaped;
}
