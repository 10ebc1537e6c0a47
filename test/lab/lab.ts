import { fileURLToPath } from 'node:url';
import { assertSafePlan, executePlan, planLab } from './build.ts';
import { inNamespace, type CommandOptions, type CommandResult } from './commands.ts';
import type { FaultSpec, LabContext } from './context.ts';
import { Faults } from './faults.ts';
import { labUnavailableReason } from './requirements.ts';
import { isLabId, LAB_INTERFACE, namespaceName, randomLabId } from './names.ts';
import { LabProcess, type SpawnOptions } from './processes.ts';
import { currentOwner, destroyLabSync, labNamespaces, readRecord, reapStaleLabs, writeRecord } from './registry.ts';
import { Routes } from './routes.ts';
import { startWarden, type Warden } from './warden.ts';
import { computeRoutes, pathTo, type RoutingTables } from './routing.ts';
import { captureRootState, LabSafetyError, rootStateChanges } from './safety.ts';
import {
  addressOn,
  assertValidTopology,
  DEFAULT_MTU,
  linkBetween,
  linksOf,
  nodeSpec,
  peerOn,
  topologyByName,
  type Family,
  type NodeName,
  type Topology,
  type TopologyName,
} from './topology.ts';

export const PSW_BIN = fileURLToPath(new URL('../../bin/psw.js', import.meta.url));
export const IPERF3_PORT = 5201;

export interface LabOptions {
  /** 1-8 characters a-z0-9; default random. Namespaces are named pswlab-<id>-<node>. */
  readonly id?: string;
  /** Outlive this process (labs made by hand with `npm run lab -- up`); default false. */
  readonly persistent?: boolean;
}

export class LabUnavailableError extends Error {
  constructor(reason: string) {
    super(`The network lab cannot run here: ${reason}`);
    this.name = 'LabUnavailableError';
  }
}

// ---------------------------------------------------------------- cleanup on exit and signals

const live = new Map<string, Lab>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function destroyAllSync(): void {
  for (const lab of live.values()) if (!lab.persistent) destroyLabSync(lab.id, lab.nodes());
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  destroyAllSync();
  unwatch();
  process.kill(process.pid, signal);
}

function watch(): void {
  if (process.listeners('exit').includes(destroyAllSync)) return;
  process.on('exit', destroyAllSync);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unwatch(): void {
  process.off('exit', destroyAllSync);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- the lab

/** A running lab: one network namespace per node, veth links, static dual-stack routes. */
export class Lab implements LabContext {
  readonly id: string;
  readonly topology: Topology;
  readonly persistent: boolean;
  readonly routes: RoutingTables;
  readonly fault: Faults;
  readonly route: Routes;
  readonly #mtus: Map<number, number>;
  readonly #processes = new Set<LabProcess>();
  #down = false;
  /** The detached process that removes this lab if its owner dies first. */
  #warden: Warden | null = null;

  private constructor(id: string, topology: Topology, routes: RoutingTables, persistent: boolean) {
    this.id = id;
    this.topology = topology;
    this.routes = routes;
    this.persistent = persistent;
    this.#mtus = new Map(topology.links.map((l) => [l.net, l.mtu ?? DEFAULT_MTU]));
    this.fault = new Faults(this, this.#mtus);
    this.route = new Routes(this);
  }

  /** Builds a lab and checks it: root namespace untouched, every host reaches every host over IPv4 and IPv6. */
  static async up(topology: TopologyName | (string & {}) | Topology, options: LabOptions = {}): Promise<Lab> {
    const reason = await labUnavailableReason();
    if (reason) throw new LabUnavailableError(reason);
    const spec = typeof topology === 'string' ? topologyByName(topology) : topology;
    assertValidTopology(spec);
    reapStaleLabs();
    const id = options.id ?? randomLabId();
    if (!isLabId(id)) throw new Error(`Lab id ${JSON.stringify(id)} must be 1-8 characters a-z, 0-9.`);
    if (readRecord(id) || labNamespaces(id).length > 0) throw new Error(`A lab with id ${id} already exists; \`npm run lab -- down ${id}\` removes it.`);
    const routes = computeRoutes(spec);
    const hosts = spec.nodes.filter((n) => n.role === 'host');
    for (const s of hosts) for (const d of hosts) if (s !== d) pathTo(spec, routes, s.name, d.name, linksOf(spec, d.name)[0]?.net ?? 0);
    const plan = planLab(spec, id, routes);
    assertSafePlan(plan);

    const before = captureRootState();
    const persistent = options.persistent ?? false;
    writeRecord({ id, topology: spec.name, nodes: spec.nodes.map((n) => n.name), owner: persistent ? null : currentOwner(), createdAt: new Date().toISOString() });
    const lab = new Lab(id, spec, routes, persistent);
    live.set(id, lab);
    watch();
    if (!persistent) lab.#warden = startWarden(id);
    try {
      await executePlan(plan);
      const changes = rootStateChanges(before, captureRootState());
      if (changes.length > 0) throw new LabSafetyError(`the root namespace changed while the lab came up:\n  ${changes.join('\n  ')}`);
      await lab.#assertInterfacesInPlace();
      await lab.#assertConnectivity();
    } catch (error) {
      await lab.down().catch(() => undefined);
      throw error;
    }
    return lab;
  }

  /** Removes labs left by processes that died without cleaning up (all labs with `everything`). */
  static reapStale(options: { everything?: boolean } = {}): string[] {
    return reapStaleLabs(options);
  }

  nodes(role?: 'host' | 'router'): NodeName[] {
    return this.topology.nodes.filter((n) => role === undefined || n.role === role).map((n) => n.name);
  }

  ns(node: NodeName): string {
    nodeSpec(this.topology, node);
    return namespaceName(this.id, node);
  }

  /** The node's address on its link to `peer` (default: its first link). */
  addr(node: NodeName, family: Family = 4, peer?: NodeName): string {
    const spec = nodeSpec(this.topology, node);
    const link = peer === undefined ? linksOf(this.topology, node)[0] : linkBetween(this.topology, node, peer);
    if (!link) throw new Error(`${node} has no links.`);
    return addressOn(link.net, spec.id, family);
  }

  /** The node that owns a lab address (for reading traceroute output), or null. */
  nodeOf(address: string): NodeName | null {
    for (const link of this.topology.links) {
      for (const end of [link.a, link.b]) {
        const id = nodeSpec(this.topology, end).id;
        if (addressOn(link.net, id, 4) === address || addressOn(link.net, id, 6) === address) return end;
      }
    }
    return null;
  }

  linkMtu(net: number): number {
    const mtu = this.#mtus.get(net);
    if (mtu === undefined) throw new Error(`No link with net ${net}.`);
    return mtu;
  }

  activeFaults(): readonly FaultSpec[] {
    return this.fault.active.map((f) => f.spec);
  }

  /** Nodes a packet from `source` to `dest` visits, per the lab's current routes. */
  path(source: NodeName, dest: NodeName): NodeName[] {
    return this.route.path(source, dest);
  }

  /** Runs a program inside a node's namespace (`ip netns exec`), argv only, 30 s timeout by default. */
  async exec(node: NodeName, argv: readonly string[], options?: CommandOptions): Promise<CommandResult> {
    this.#assertUp();
    return inNamespace(this.ns(node), argv, options);
  }

  /** Starts a long-running program on a node; `down` stops it if nobody did. */
  async spawn(node: NodeName, argv: readonly string[], options: SpawnOptions = {}): Promise<LabProcess> {
    this.#assertUp();
    const child = new LabProcess(node, this.ns(node), argv, { ...options, detached: options.detached ?? this.persistent });
    this.#processes.add(child);
    void child.exited.then(() => this.#processes.delete(child));
    if (options.ready) await child.waitUntilReady(options.ready, options.readyTimeoutMs);
    return child;
  }

  /** pid of the detached process that removes this lab if its owner dies first (null for persistent labs). */
  get wardenPid(): number | null {
    return this.#warden?.pid ?? null;
  }

  /** Processes started with `spawn` that are still running. */
  get processes(): readonly LabProcess[] {
    return [...this.#processes];
  }

  startIperf3Server(node: NodeName, port = IPERF3_PORT): Promise<LabProcess> {
    return this.spawn(node, ['iperf3', '-s', '-p', String(port)], { ready: { kind: 'listening', protocol: 'tcp', port } });
  }

  /** argv that runs this project's `psw` under the current Node (put it after `exec`/`spawn`). */
  pswArgv(args: readonly string[]): string[] {
    return [process.execPath, PSW_BIN, ...args];
  }

  /** Runs `psw ARGS` on a node, e.g. `psw run throughput --to ...` from the client. */
  psw(node: NodeName, args: readonly string[], options?: CommandOptions): Promise<CommandResult> {
    return this.exec(node, this.pswArgv(args), options);
  }

  /**
   * Starts a responder (e.g. `psw responder twamp ...`) on a node and waits until it listens on
   * `port`: the hook for the project's OWAMP/TWAMP servers.
   */
  startResponder(node: NodeName, args: readonly string[], listen: { protocol: 'tcp' | 'udp'; port: number }): Promise<LabProcess> {
    return this.spawn(node, this.pswArgv(args), { ready: { kind: 'listening', ...listen } });
  }

  /** Hosts and addresses, for people. */
  describe(): string {
    const rows = [`lab ${this.id} (${this.topology.name}: ${this.topology.description})`];
    for (const node of this.topology.nodes) {
      for (const link of linksOf(this.topology, node.name)) {
        rows.push(
          [node.name.padEnd(8), node.role.padEnd(7), this.ns(node.name).padEnd(24), `to ${peerOn(link, node.name)}`.padEnd(10), addressOn(link.net, node.id, 4).padEnd(14), addressOn(link.net, node.id, 6)].join(' '),
        );
      }
    }
    return rows.join('\n');
  }

  /** Stops every process, deletes every namespace (and so every veth). Safe to call twice. */
  async down(): Promise<void> {
    if (this.#down) return;
    this.#down = true;
    await Promise.all([...this.#processes].map((p) => p.stop()));
    const problems = destroyLabSync(this.id, this.nodes());
    live.delete(this.id);
    await this.#warden?.stop();
    reapStaleLabs();
    if (live.size === 0) unwatch();
    if (problems.length > 0) throw new Error(`Lab ${this.id} did not come down cleanly:\n  ${problems.join('\n  ')}`);
  }

  #assertUp(): void {
    if (this.#down) throw new Error(`Lab ${this.id} is down.`);
  }

  async #assertInterfacesInPlace(): Promise<void> {
    for (const node of this.topology.nodes) {
      const result = await this.exec(node.name, ['ip', '-j', 'link', 'show']);
      const names = (JSON.parse(String(result.stdout)) as { ifname: string }[]).map((l) => l.ifname).sort();
      const expected = ['lo', ...linksOf(this.topology, node.name).map((l) => `to-${peerOn(l, node.name)}`)].sort();
      if (names.join(',') !== expected.join(',') || names.some((n) => n !== 'lo' && !LAB_INTERFACE.test(n))) {
        throw new LabSafetyError(`namespace ${this.ns(node.name)} has interfaces ${names.join(', ')}, expected ${expected.join(', ')}.`);
      }
    }
  }

  async #assertConnectivity(): Promise<void> {
    const hosts = this.nodes('host');
    const pairs = hosts.flatMap((s) => hosts.filter((d) => d !== s).flatMap((d) => [4, 6].map((family) => ({ s, d, family: family as Family }))));
    const failures: string[] = [];
    await Promise.all(
      pairs.map(async ({ s, d, family }) => {
        const address = this.addr(d, family);
        for (let attempt = 0; attempt < 5; attempt += 1) {
          const result = await this.exec(s, ['ping', `-${family}`, '-n', '-c', '1', '-W', '1', address], { reject: false });
          if (result.exitCode === 0) return;
          await sleep(200);
        }
        failures.push(`${s} → ${d} (${address})`);
      }),
    );
    if (failures.length > 0) throw new Error(`Lab ${this.id}: no connectivity for ${failures.join(', ')}.`);
  }
}
