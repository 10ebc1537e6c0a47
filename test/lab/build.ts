import { ip, ipBatch, run, sysctl } from './commands.ts';
import { ND_MARK } from './firewall.ts';
import { linkInterface, namespaceName } from './names.ts';
import type { RoutingTables } from './routing.ts';
import { assertLabNamespace, assertSafeIpCommand } from './safety.ts';
import { addressOn, DEFAULT_MTU, linkBetween, linksOf, nodeSpec, peerOn, prefixLength, subnet, type Family, type NodeSpec, type Topology } from './topology.ts';

export interface NamespacePlan {
  readonly node: NodeSpec;
  readonly ns: string;
  readonly sysctls: Readonly<Record<string, string | number>>;
  /** `ip -batch` lines, IPv4 family (links, addresses, IPv4 routes and rules). */
  readonly ip4: readonly string[];
  /** `ip -6 -batch` lines (IPv6 routes and rules). */
  readonly ip6: readonly string[];
}

export interface VethPlan {
  readonly a: { readonly ns: string; readonly ifname: string };
  readonly b: { readonly ns: string; readonly ifname: string };
  readonly mtu: number;
}

export interface LabPlan {
  readonly namespaces: readonly NamespacePlan[];
  readonly veths: readonly VethPlan[];
}

/** The local table moves behind the delay lines' rules (prefs 5-7), so traffic to a router can be delayed too. */
export const LOCAL_RULE_PREF = 99;

const COMMON_SYSCTLS = {
  'net.ipv6.conf.all.accept_dad': 0,
  'net.ipv6.conf.default.accept_dad': 0,
  'net.ipv6.conf.all.accept_ra': 0,
  'net.ipv6.conf.default.accept_ra': 0,
  'net.ipv4.conf.all.rp_filter': 0,
  'net.ipv4.conf.default.rp_filter': 0,
  'net.ipv4.conf.all.accept_redirects': 0,
  'net.ipv4.conf.default.accept_redirects': 0,
  'net.ipv6.conf.all.accept_redirects': 0,
  'net.ipv6.conf.default.accept_redirects': 0,
  // traceroute and PMTU probes must never meet ICMP rate limits inside the lab
  'net.ipv4.icmp_ratemask': 0,
  'net.ipv4.icmp_ratelimit': 0,
  'net.ipv6.icmp.ratelimit': 0,
  'net.ipv4.icmp_msgs_per_sec': 100_000,
  'net.ipv4.icmp_msgs_burst': 10_000,
} as const;

const ROUTER_SYSCTLS = {
  'net.ipv4.ip_forward': 1,
  'net.ipv6.conf.all.forwarding': 1,
  'net.ipv4.conf.all.send_redirects': 0,
  'net.ipv4.conf.default.send_redirects': 0,
} as const;

export function routeLine(topology: Topology, node: string, net: number, via: string, family: Family): string {
  const gateway = addressOn(linkBetween(topology, node, via).net, nodeSpec(topology, via).id, family);
  return `route replace ${subnet(net, family)} via ${gateway}`;
}

/** Everything `up` will do, as data, so it can be checked before anything runs. */
export function planLab(topology: Topology, labId: string, tables: RoutingTables): LabPlan {
  const namespaces = topology.nodes.map((node): NamespacePlan => {
    const ns = namespaceName(labId, node.name);
    const ip4: string[] = ['link set lo up'];
    const ip6: string[] = [];
    for (const link of linksOf(topology, node.name)) {
      const dev = linkInterface(peerOn(link, node.name));
      ip4.push(`addr add ${addressOn(link.net, node.id, 4)}/${prefixLength(4)} dev ${dev}`);
      ip4.push(`addr add ${addressOn(link.net, node.id, 6)}/${prefixLength(6)} dev ${dev} nodad`);
      ip4.push(`link set ${dev} up`);
    }
    for (const [net, via] of tables.get(node.name) ?? []) {
      if (via === null) continue;
      ip4.push(routeLine(topology, node.name, net, via, 4));
      ip6.push(routeLine(topology, node.name, net, via, 6));
    }
    if (node.role === 'router') {
      for (const lines of [ip4, ip6]) {
        lines.push(
          `rule add pref ${LOCAL_RULE_PREF} lookup local`,
          'rule del pref 0',
          // delay lines (rules 5-7) never see neighbour discovery, ARP, or the router's own packets
          `rule add pref 3 fwmark ${ND_MARK}/${ND_MARK} goto ${LOCAL_RULE_PREF}`,
          `rule add pref 4 iif lo goto ${LOCAL_RULE_PREF}`,
        );
      }
    }
    return { node, ns, sysctls: node.role === 'router' ? { ...COMMON_SYSCTLS, ...ROUTER_SYSCTLS } : COMMON_SYSCTLS, ip4, ip6 };
  });
  const veths = topology.links.map((link): VethPlan => ({
    a: { ns: namespaceName(labId, link.a), ifname: linkInterface(link.b) },
    b: { ns: namespaceName(labId, link.b), ifname: linkInterface(link.a) },
    mtu: link.mtu ?? DEFAULT_MTU,
  }));
  return { namespaces, veths };
}

/** Refuses a plan that would act outside the lab's namespaces or address ranges. */
export function assertSafePlan(plan: LabPlan): void {
  for (const ns of plan.namespaces) {
    assertLabNamespace(ns.ns);
    for (const line of [...ns.ip4, ...ns.ip6]) assertSafeIpCommand(line);
  }
  for (const veth of plan.veths) {
    assertLabNamespace(veth.a.ns);
    assertLabNamespace(veth.b.ns);
  }
}

export function vethCommand(veth: VethPlan): string[] {
  return ['link', 'add', 'name', veth.a.ifname, 'mtu', String(veth.mtu), 'type', 'veth', 'peer', 'name', veth.b.ifname, 'mtu', String(veth.mtu), 'netns', veth.b.ns];
}

/** Creates the namespaces, links, addresses and routes. Both ends of every veth are born inside the lab. */
export async function executePlan(plan: LabPlan): Promise<void> {
  for (const ns of plan.namespaces) await run(['ip', 'netns', 'add', ns.ns]);
  await Promise.all(plan.namespaces.map((ns) => sysctl(ns.ns, ns.sysctls)));
  for (const veth of plan.veths) await ip(veth.a.ns, vethCommand(veth));
  await Promise.all(
    plan.namespaces.map(async (ns) => {
      await ipBatch(ns.ns, ns.ip4);
      if (ns.ip6.length > 0) await ipBatch(ns.ns, ns.ip6, 6);
    }),
  );
}
