import type { HopMatch, HostView } from '../../shared/hosts.ts';
import { canonicalIp } from './addresses.ts';

/** For each hop address, the ids of hosts that registered it (as an interface address or an IP host-name). */
export function matchHops(ips: readonly string[], hosts: readonly HostView[]): HopMatch[] {
  const byAddress = new Map<string, string[]>();
  for (const host of hosts) {
    for (const address of [...host.addresses.ipv4, ...host.addresses.ipv6]) {
      const ids = byAddress.get(address);
      if (!ids) byAddress.set(address, [host.id]);
      else if (!ids.includes(host.id)) ids.push(host.id);
    }
  }
  return ips.map((ip) => ({ ip, hostIds: byAddress.get(canonicalIp(ip) ?? ip) ?? [] }));
}
