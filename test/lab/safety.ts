import { execFileSync } from 'node:child_process';
import { BlockList, isIP } from 'node:net';
import { isLabNamespace, LAB_INTERFACE } from './names.ts';

export class LabSafetyError extends Error {
  constructor(message: string) {
    super(`Lab safety check: ${message}`);
    this.name = 'LabSafetyError';
  }
}

const LAB_RANGES = new BlockList();
LAB_RANGES.addSubnet('198.18.0.0', 15, 'ipv4');
LAB_RANGES.addSubnet('2001:db8::', 32, 'ipv6');

export function assertLabNamespace(ns: string): void {
  if (!isLabNamespace(ns)) throw new LabSafetyError(`refusing to act on namespace ${JSON.stringify(ns)}: not a lab namespace.`);
}

export function isLabAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && LAB_RANGES.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A prefix lies inside the lab ranges when its first address does and it is no wider than the range. */
export function isLabPrefix(prefix: string): boolean {
  const [address, lengthText] = prefix.split('/');
  if (!address || !isLabAddress(address)) return false;
  if (lengthText === undefined) return true;
  const length = Number(lengthText);
  return Number.isInteger(length) && length >= (isIP(address) === 4 ? 15 : 32) && length <= (isIP(address) === 4 ? 32 : 128);
}

const ADDRESS_LIKE = /^[0-9a-fA-F:.]+(?:\/\d+)?$/;

/**
 * Checks one line of an `ip -batch` plan: every address or prefix it names is in the lab ranges,
 * no default route, and only the object types the lab uses.
 */
export function assertSafeIpCommand(line: string): void {
  const words = line.trim().split(/\s+/);
  const object = words.find((w) => !w.startsWith('-'));
  if (!object || !['link', 'addr', 'address', 'route', 'rule'].includes(object)) {
    throw new LabSafetyError(`ip command ${JSON.stringify(line)} is not one the lab issues.`);
  }
  if (words.some((w) => w === 'default' || w === '0.0.0.0/0' || w === '::/0' || w === 'all')) {
    throw new LabSafetyError(`ip command ${JSON.stringify(line)} would add a default or catch-all route.`);
  }
  for (const word of words) {
    if (!ADDRESS_LIKE.test(word) || !/[.:]/.test(word) || /^\d+$/.test(word)) continue;
    if (/^0x[0-9a-f]+$/i.test(word)) continue;
    if (!isLabPrefix(word)) throw new LabSafetyError(`ip command ${JSON.stringify(line)} names ${word}, outside 198.18.0.0/15 and 2001:db8::/32.`);
  }
}

/** What of the root namespace the lab could conceivably disturb: captured before and after `up`. */
export interface RootState {
  readonly labInterfaces: string[];
  readonly labAddresses: string[];
  readonly labRoutes: string[];
  readonly rules: string[];
  readonly forwarding: string[];
}

function capture(argv: string[]): string {
  const [file, ...args] = argv;
  return execFileSync(file as string, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, timeout: 10_000 });
}

export function captureRootState(): RootState {
  const links = JSON.parse(capture(['ip', '-j', 'link', 'show'])) as { ifname: string }[];
  const addresses = JSON.parse(capture(['ip', '-j', 'addr', 'show'])) as { ifname: string; addr_info?: { local: string; prefixlen: number }[] }[];
  const routeLines = [
    ...capture(['ip', '-4', 'route', 'show', 'table', 'all']).split('\n'),
    ...capture(['ip', '-6', 'route', 'show', 'table', 'all']).split('\n'),
  ];
  const mentionsLab = (line: string) => line.split(/\s+/).some((w) => ADDRESS_LIKE.test(w) && /[.:]/.test(w) && isLabPrefix(w)) || /\bdev (?:to-|dl\d)/.test(line);
  return {
    labInterfaces: links.map((l) => l.ifname).filter((name) => LAB_INTERFACE.test(name)).sort(),
    labAddresses: addresses.flatMap((l) => (l.addr_info ?? []).filter((a) => isLabAddress(a.local)).map((a) => `${l.ifname} ${a.local}/${a.prefixlen}`)).sort(),
    labRoutes: routeLines.filter((line) => line.trim() && mentionsLab(line)).sort(),
    rules: [...capture(['ip', '-4', 'rule', 'show']).split('\n'), ...capture(['ip', '-6', 'rule', 'show']).split('\n')].filter((l) => l.trim()),
    forwarding: [
      capture(['sysctl', '-n', 'net.ipv4.ip_forward']).trim(),
      capture(['sysctl', '-n', 'net.ipv6.conf.all.forwarding']).trim(),
    ],
  };
}

/** Differences between two captures, worded for an error message. */
export function rootStateChanges(before: RootState, after: RootState): string[] {
  const changes: string[] = [];
  for (const key of Object.keys(before) as (keyof RootState)[]) {
    const was = new Set(before[key]);
    const now = new Set(after[key]);
    for (const item of now) if (!was.has(item)) changes.push(`${key}: appeared ${item}`);
    for (const item of was) if (!now.has(item)) changes.push(`${key}: disappeared ${item}`);
  }
  return changes;
}

/** Lab interfaces or lab routes in the root namespace mean something escaped a namespace. */
export function rootLeaks(state: RootState): string[] {
  return [
    ...state.labInterfaces.map((name) => `interface ${name} in the root namespace`),
    ...state.labAddresses.map((address) => `address ${address} in the root namespace`),
  ];
}
