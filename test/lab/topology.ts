import { isNodeName } from './names.ts';

export type NodeName = string;
export type Family = 4 | 6;

/** Hosts end paths (they never forward); routers forward IPv4 and IPv6. */
export interface NodeSpec {
  readonly name: NodeName;
  readonly role: 'host' | 'router';
  /** Last part of every address the node has: 198.18.<net>.<id>, 2001:db8:0:<net>::<id>. */
  readonly id: number;
  readonly note?: string;
}

/** A point-to-point link. `net` numbers its subnets: 198.18.<net>.0/24 and 2001:db8:0:<net>::/64. */
export interface LinkSpec {
  readonly a: NodeName;
  readonly b: NodeName;
  readonly net: number;
  readonly mtu?: number;
}

/** Static routing where shortest paths are not wanted: at `at`, reach every address of `dest` via neighbour `via`. */
export interface RouteOverride {
  readonly at: NodeName;
  readonly dest: NodeName;
  readonly via: NodeName;
}

export interface Topology {
  readonly name: string;
  readonly description: string;
  readonly nodes: readonly NodeSpec[];
  readonly links: readonly LinkSpec[];
  readonly routes?: readonly RouteOverride[];
}

export const DEFAULT_MTU = 1500;
/** IPv6 needs at least 1280 on every link; the lab is dual stack everywhere. */
export const MIN_MTU = 1280;
export const MAX_MTU = 65535;

const host = (name: string, id: number, note?: string): NodeSpec => ({ name, role: 'host', id, ...(note ? { note } : {}) });
const router = (name: string, id: number): NodeSpec => ({ name, role: 'router', id });

export const TOPOLOGIES = {
  direct: {
    name: 'direct',
    description: 'client — r1 — server',
    nodes: [host('client', 10), router('r1', 1), host('server', 20)],
    links: [
      { a: 'client', b: 'r1', net: 1 },
      { a: 'r1', b: 'server', net: 2 },
    ],
  },
  segmented: {
    name: 'segmented',
    description: 'client — r1 — r2 — server, with perfSONAR host mid on r2 (measure client→mid and mid→server)',
    nodes: [host('client', 10), router('r1', 1), router('r2', 2), host('server', 20), host('mid', 30, 'perfSONAR host in the middle')],
    links: [
      { a: 'client', b: 'r1', net: 1 },
      { a: 'r1', b: 'r2', net: 2 },
      { a: 'r2', b: 'server', net: 3 },
      { a: 'r2', b: 'mid', net: 4 },
    ],
  },
  asymmetric: {
    name: 'asymmetric',
    description: 'client — r1 — r2 — server forward; server — r2 — r3 — r1 — client return',
    nodes: [host('client', 10), router('r1', 1), router('r2', 2), router('r3', 3), host('server', 20)],
    links: [
      { a: 'client', b: 'r1', net: 1 },
      { a: 'r1', b: 'r2', net: 2 },
      { a: 'r1', b: 'r3', net: 3 },
      { a: 'r3', b: 'r2', net: 4 },
      { a: 'r2', b: 'server', net: 5 },
    ],
    routes: [{ at: 'r2', dest: 'client', via: 'r3' }],
  },
} as const satisfies Record<string, Topology>;

export type TopologyName = keyof typeof TOPOLOGIES;

export function topologyByName(name: string): Topology {
  if (!Object.hasOwn(TOPOLOGIES, name)) {
    throw new Error(`Unknown topology ${JSON.stringify(name)}; known: ${Object.keys(TOPOLOGIES).join(', ')}.`);
  }
  return TOPOLOGIES[name as TopologyName];
}

export function subnet(net: number, family: Family): string {
  return family === 4 ? `198.18.${net}.0/24` : `2001:db8:0:${net}::/64`;
}

export function addressOn(net: number, id: number, family: Family): string {
  return family === 4 ? `198.18.${net}.${id}` : `2001:db8:0:${net}::${id}`;
}

export function prefixLength(family: Family): number {
  return family === 4 ? 24 : 64;
}

export function nodeSpec(topology: Topology, name: NodeName): NodeSpec {
  const node = topology.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`No node ${JSON.stringify(name)} in topology ${topology.name} (nodes: ${topology.nodes.map((n) => n.name).join(', ')}).`);
  return node;
}

export function linksOf(topology: Topology, name: NodeName): LinkSpec[] {
  return topology.links.filter((l) => l.a === name || l.b === name);
}

export function peerOn(link: LinkSpec, name: NodeName): NodeName {
  return link.a === name ? link.b : link.a;
}

export function linkBetween(topology: Topology, a: NodeName, b: NodeName): LinkSpec {
  const link = topology.links.find((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a));
  if (!link) throw new Error(`No link between ${a} and ${b} in topology ${topology.name}.`);
  return link;
}

export function neighbours(topology: Topology, name: NodeName): NodeName[] {
  return linksOf(topology, name).map((l) => peerOn(l, name));
}

/** Every rule a topology must follow; returns the problems found (empty when valid). */
export function topologyProblems(topology: Topology): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const ids = new Set<number>();
  for (const node of topology.nodes) {
    if (!isNodeName(node.name)) problems.push(`node name ${JSON.stringify(node.name)} must be a-z then up to 9 of a-z, 0-9`);
    if (names.has(node.name)) problems.push(`node ${node.name} appears twice`);
    names.add(node.name);
    if (!Number.isInteger(node.id) || node.id < 1 || node.id > 254) problems.push(`node ${node.name}: id must be 1..254`);
    if (ids.has(node.id)) problems.push(`node ${node.name}: id ${node.id} is already used`);
    ids.add(node.id);
  }
  const nets = new Set<number>();
  const pairs = new Set<string>();
  for (const link of topology.links) {
    const label = `link ${link.a}—${link.b}`;
    if (!names.has(link.a) || !names.has(link.b)) problems.push(`${label} names an unknown node`);
    if (link.a === link.b) problems.push(`${label} connects a node to itself`);
    const pair = [link.a, link.b].sort().join('—');
    if (pairs.has(pair)) problems.push(`${label} appears twice`);
    pairs.add(pair);
    if (!Number.isInteger(link.net) || link.net < 1 || link.net > 255) problems.push(`${label}: net must be 1..255`);
    if (nets.has(link.net)) problems.push(`${label}: net ${link.net} is already used`);
    nets.add(link.net);
    const mtu = link.mtu ?? DEFAULT_MTU;
    if (!Number.isInteger(mtu) || mtu < MIN_MTU || mtu > MAX_MTU) problems.push(`${label}: mtu must be ${MIN_MTU}..${MAX_MTU}`);
  }
  for (const route of topology.routes ?? []) {
    const label = `route at ${route.at} to ${route.dest} via ${route.via}`;
    if (![route.at, route.dest, route.via].every((n) => names.has(n))) problems.push(`${label} names an unknown node`);
    else if (!topology.links.some((l) => (l.a === route.at && l.b === route.via) || (l.b === route.at && l.a === route.via))) {
      problems.push(`${label}: ${route.via} is not a neighbour of ${route.at}`);
    }
  }
  if (!topology.nodes.some((n) => n.role === 'host')) problems.push('a topology needs at least one host');
  return problems;
}

export function assertValidTopology(topology: Topology): void {
  const problems = topologyProblems(topology);
  if (problems.length > 0) throw new Error(`Topology ${topology.name} is invalid:\n  ${problems.join('\n  ')}`);
}
