import { ipBatch } from './commands.ts';
import { routeLine } from './build.ts';
import type { LabContext } from './context.ts';
import { LabVerificationError } from './verify.ts';
import { addressOn, linkBetween, linksOf, neighbours, nodeSpec, type NodeName } from './topology.ts';
import { applyOverride, cloneTables, netsToReroute, pathTo } from './routing.ts';

export interface RouteChangeSpec {
  /** the router whose routes change */
  readonly at: NodeName;
  /** every address of this node */
  readonly dest: NodeName;
  /** the neighbour of `at` that traffic to `dest` goes to from now on */
  readonly via: NodeName;
}

export interface RouteChange {
  readonly spec: RouteChangeSpec;
  /** puts the previous next hops back */
  revert(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Changes routes in a running lab, keeping the lab's model of its routing in step. */
export class Routes {
  readonly #context: LabContext;

  constructor(context: LabContext) {
    this.#context = context;
  }

  /** Nodes a packet from `source` to `dest` visits now (dest's address toward its first neighbour). */
  path(source: NodeName, dest: NodeName): NodeName[] {
    const net = linksOf(this.#context.topology, dest)[0]?.net;
    if (net === undefined) throw new Error(`${dest} has no links.`);
    return pathTo(this.#context.topology, this.#context.routes, source, dest, net);
  }

  async change(spec: RouteChangeSpec): Promise<RouteChange> {
    const { topology, routes } = this.#context;
    if (nodeSpec(topology, spec.at).role !== 'router') throw new Error(`${spec.at} is not a router.`);
    if (!neighbours(topology, spec.via).includes(spec.at)) throw new Error(`${spec.via} is not a neighbour of ${spec.at}.`);
    const nets = netsToReroute(topology, spec.at, spec.dest);
    if (nets.length === 0) throw new Error(`${spec.at} is directly connected to every address of ${spec.dest}.`);
    const candidate = cloneTables(routes);
    applyOverride(topology, candidate, spec.at, spec.dest, spec.via);
    for (const node of topology.nodes) for (const net of nets) pathTo(topology, candidate, node.name, spec.dest, net);
    const table = routes.get(spec.at) as Map<number, NodeName | null>;
    const previous = new Map(nets.map((net) => [net, table.get(net) ?? null]));
    await this.#apply(spec.at, spec.dest, new Map(nets.map((net) => [net, spec.via])));
    return {
      spec,
      revert: () => this.#apply(spec.at, spec.dest, previous),
    };
  }

  /** `change` after `ms` milliseconds, for a route change in the middle of a measurement. */
  async changeAfter(ms: number, spec: RouteChangeSpec): Promise<RouteChange> {
    await sleep(ms);
    return this.change(spec);
  }

  async #apply(at: NodeName, dest: NodeName, nextHops: Map<number, NodeName | null>): Promise<void> {
    const { topology, routes } = this.#context;
    const ns = this.#context.ns(at);
    for (const family of [4, 6] as const) {
      const lines = [...nextHops].flatMap(([net, via]) => (via === null ? [] : [routeLine(topology, at, net, via, family)]));
      if (lines.length > 0) await ipBatch(ns, lines, family);
    }
    const table = routes.get(at) as Map<number, NodeName | null>;
    for (const [net, via] of nextHops) table.set(net, via);
    await this.#verify(at, dest, nextHops);
  }

  /** Asks the kernel (`ip route get`) which gateway it now uses for each changed destination. */
  async #verify(at: NodeName, dest: NodeName, nextHops: Map<number, NodeName | null>): Promise<void> {
    const { topology } = this.#context;
    for (const [net, via] of nextHops) {
      if (via === null) continue;
      for (const family of [4, 6] as const) {
        const target = addressOn(net, nodeSpec(topology, dest).id, family);
        const gateway = addressOn(linkBetween(topology, at, via).net, nodeSpec(topology, via).id, family);
        const result = await this.#context.exec(at, ['ip', `-${family}`, 'route', 'get', target]);
        const seen = /\bvia (\S+)/.exec(String(result.stdout))?.[1] ?? null;
        if (seen !== gateway) throw new LabVerificationError(`route at ${at} to ${target} goes via ${seen}, expected ${gateway} (${via})`, { seen, gateway });
      }
    }
  }
}
