import { cpus, hostname, release } from 'node:os';
import type { SelfCheckReport } from '../../../shared/selfcheck.ts';
import type { HostFacts } from './facts.ts';
import { linuxFacts } from './linux.ts';
import { macFacts, windowsFacts } from './other.ts';
import { bdpBytes, maxWindows, selfCheckFindings } from './rules.ts';

export const DEFAULT_TARGET_BPS = 1e9;
export const DEFAULT_RTT_MS = 100;

export async function collectHostFacts(): Promise<HostFacts> {
  const base = { hostname: hostname(), kernel: release(), cpus: cpus().length };
  if (process.platform === 'darwin') return macFacts(base);
  if (process.platform === 'win32') return windowsFacts(base);
  return linuxFacts(base);
}

/** The local tuning audit, sized against a path (default: 1 Gbit/s at 100 ms). */
export async function selfCheck(options: { rttMs?: number; targetBitsPerSecond?: number } = {}, facts?: HostFacts): Promise<SelfCheckReport> {
  const host = facts ?? (await collectHostFacts());
  const path = { rttMs: options.rttMs ?? DEFAULT_RTT_MS, targetBitsPerSecond: options.targetBitsPerSecond ?? DEFAULT_TARGET_BPS };
  const windows = maxWindows(host);
  return {
    platform: host.platform,
    hostname: host.hostname,
    kernel: host.kernel,
    cpus: host.cpus,
    rttMs: path.rttMs,
    targetBitsPerSecond: path.targetBitsPerSecond,
    bdpBytes: bdpBytes(path),
    maxReceiveWindow: windows.receive,
    maxSendWindow: windows.send,
    findings: selfCheckFindings(host, path),
  };
}
