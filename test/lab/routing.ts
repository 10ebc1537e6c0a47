import { linksOf, neighbours, nodeSpec, peerOn, type NodeName, type Topology } from './topology.ts';

/** Per node: net number → next-hop neighbour, or null when the node is on that net itself. */
export type RoutingTables = Map<NodeName, Map<number, NodeName | null>>;

export interface Hop {
  readonly from: NodeName;
  readonly to: NodeName;
}

/** First hops of shortest paths from `source`; only routers are crossed on the way. */
function firstHops(topology: Topology, source: NodeName): Map<NodeName, NodeName> {
  const first = new Map<NodeName, NodeName>();
  const queue: NodeName[] = [source];
  const seen = new Set([source]);
  while (queue.length > 0) {
    const current = queue.shift() as NodeName;
    if (current !== source && nodeSpec(topology, current).role !== 'router') continue;
    for (const next of neighbours(topology, current)) {
      if (seen.has(next)) continue;
      seen.add(next);
      first.set(next, current === source ? next : (first.get(current) as NodeName));
      queue.push(next);
    }
  }
  return first;
}

/** Shortest-path static routes to every subnet, then the topology's overrides. */
export function computeRoutes(topology: Topology): RoutingTables {
  const tables: RoutingTables = new Map();
  for (const node of topology.nodes) {
    const table = new Map<number, NodeName | null>();
    const first = firstHops(topology, node.name);
    for (const link of topology.links) {
      if (link.a === node.name || link.b === node.name) {
        table.set(link.net, null);
        continue;
      }
      const entries = [link.a, link.b].filter((end) => nodeSpec(topology, end).role === 'router' && first.has(end));
      const hops = entries.map((end) => ({ end, via: first.get(end) as NodeName, distance: distance(topology, node.name, end) }));
      hops.sort((x, y) => x.distance - y.distance);
      if (hops[0]) table.set(link.net, hops[0].via);
    }
    tables.set(node.name, table);
  }
  for (const route of topology.routes ?? []) applyOverride(topology, tables, route.at, route.dest, route.via);
  return tables;
}

function distance(topology: Topology, from: NodeName, to: NodeName): number {
  const seen = new Map([[from, 0]]);
  const queue = [from];
  while (queue.length > 0) {
    const current = queue.shift() as NodeName;
    const d = seen.get(current) as number;
    if (current === to) return d;
    if (current !== from && nodeSpec(topology, current).role !== 'router') continue;
    for (const next of neighbours(topology, current)) {
      if (!seen.has(next)) {
        seen.set(next, d + 1);
        queue.push(next);
      }
    }
  }
  return Number.POSITIVE_INFINITY;
}

/** Nets whose routes at `at` change when `dest` is to be reached via `via` (dest's nets not on `at`). */
export function netsToReroute(topology: Topology, at: NodeName, dest: NodeName): number[] {
  const own = new Set(linksOf(topology, at).map((l) => l.net));
  return linksOf(topology, dest).map((l) => l.net).filter((net) => !own.has(net));
}

export function applyOverride(topology: Topology, tables: RoutingTables, at: NodeName, dest: NodeName, via: NodeName): void {
  if (!neighbours(topology, at).includes(via)) throw new Error(`${via} is not a neighbour of ${at}.`);
  const table = tables.get(at);
  if (!table) throw new Error(`No node ${at}.`);
  for (const net of netsToReroute(topology, at, dest)) table.set(net, via);
}

/**
 * The nodes a packet visits from `source` to the address `dest` has on `net`, following the
 * tables as they are now. Throws on a loop or a missing route.
 */
export function pathTo(topology: Topology, tables: RoutingTables, source: NodeName, dest: NodeName, net: number): NodeName[] {
  const link = topology.links.find((l) => l.net === net && (l.a === dest || l.b === dest));
  if (!link) throw new Error(`${dest} has no address on net ${net}.`);
  const path = [source];
  let current = source;
  for (let step = 0; step <= topology.nodes.length; step += 1) {
    if (current === dest) return path;
    const entry = tables.get(current)?.get(net);
    if (entry === undefined) throw new Error(`${current} has no route to net ${net} (path so far ${path.join(' → ')}).`);
    if (entry === null && peerOn(link, current) !== dest) throw new Error(`${current} is on net ${net} but ${dest} is not its peer there.`);
    const next: NodeName = entry ?? dest;
    if (current !== source && nodeSpec(topology, current).role !== 'router') throw new Error(`Path ${path.join(' → ')} would cross host ${current}.`);
    path.push(next);
    current = next;
  }
  throw new Error(`Routing loop from ${source} to ${dest} (net ${net}): ${path.join(' → ')}.`);
}

export function hopsOf(path: readonly NodeName[]): Hop[] {
  return path.slice(1).map((to, i) => ({ from: path[i] as NodeName, to }));
}

export function containsHop(path: readonly NodeName[], hop: Hop): boolean {
  return hopsOf(path).some((h) => h.from === hop.from && h.to === hop.to);
}

export function cloneTables(tables: RoutingTables): RoutingTables {
  return new Map([...tables].map(([node, table]) => [node, new Map(table)]));
}
