import { ip, readSysctl, sysctl, tc } from './commands.ts';
import type { FaultSpec, LabContext } from './context.ts';
import { startDelayLine } from './delay-line.ts';
import { Firewall } from './firewall.ts';
import { flushPmtuCache } from './measure.ts';
import { linkInterface } from './names.ts';
import type { Hop } from './routing.ts';
import { linkBetween, MAX_MTU, MIN_MTU, nodeSpec, type NodeName } from './topology.ts';
import {
  delayProbe,
  measureDelayBaseline,
  verifyDelay,
  verifyLoss,
  verifyMtu,
  verifyRate,
  verifyWindow,
  type DelayVerification,
  type LossVerification,
  type MtuVerification,
  type RateVerification,
  type WindowVerification,
} from './verify.ts';

export interface FaultOptions {
  /** Measure the fault with plain tools right away and throw if it is not in effect (default true). */
  readonly verify?: boolean;
}

/** An injected fault: `measured` holds what verification saw; `remove` undoes it. */
export class Fault<M = unknown> {
  readonly id: number;
  readonly spec: FaultSpec;
  measured: M | null = null;
  readonly #verify: () => Promise<M>;
  readonly #undo: () => Promise<void>;
  readonly #onRemoved: (fault: Fault<M>) => void;
  #removed = false;

  constructor(id: number, spec: FaultSpec, verify: () => Promise<M>, undo: () => Promise<void>, onRemoved: (fault: Fault<M>) => void) {
    this.id = id;
    this.spec = spec;
    this.#verify = verify;
    this.#undo = undo;
    this.#onRemoved = onRemoved;
  }

  get active(): boolean {
    return !this.#removed;
  }

  describe(): string {
    const s = this.spec;
    switch (s.kind) {
      case 'loss':
        return `loss ${s.percent} % on ${s.hop.from}→${s.hop.to}`;
      case 'rate':
        return `rate cap ${s.rateMbit} Mbit/s (buffer ${s.bufferBytes} B) on ${s.hop.from}→${s.hop.to}`;
      case 'delay':
        return `delay ${s.ms} ms on ${s.hop.from}→${s.hop.to} (${s.backend})`;
      case 'mtu':
        return `mtu ${s.mtu} on ${s.link[0]}—${s.link[1]}${s.blackhole ? ', ICMP frag-needed dropped (black hole)' : ''}`;
      case 'window':
        return `window limit on ${s.node}: rmem max ${s.rmemMax} B, wmem max ${s.wmemMax} B`;
    }
  }

  /** Measures the fault again; throws LabVerificationError if it is not in effect. */
  async verify(): Promise<M> {
    if (this.#removed) throw new Error(`${this.describe()} was removed.`);
    this.measured = await this.#verify();
    return this.measured;
  }

  async remove(): Promise<void> {
    if (this.#removed) return;
    this.#removed = true;
    this.#onRemoved(this);
    await this.#undo();
  }
}

export type DelayBackend = 'auto' | 'netem' | 'delay-line';

let netemProbe: Promise<boolean> | null = null;

/** Whether the kernel has sch_netem: tried once per process on a lab namespace's loopback. */
function netemAvailable(ns: string): Promise<boolean> {
  netemProbe ??= (async () => {
    const added = await tc(ns, ['qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'], { reject: false });
    if (added.exitCode !== 0) return false;
    await tc(ns, ['qdisc', 'del', 'dev', 'lo', 'root'], { reject: false });
    return true;
  })();
  return netemProbe;
}

export interface RateCap {
  readonly rateMbit: number;
  /** bytes that may queue behind the cap before packets are dropped */
  readonly bufferBytes: number;
}

export interface WindowLimit {
  readonly rmemMax: number;
  readonly wmemMax: number;
}

const TCP_DEFAULT_RMEM = 131_072;
const TCP_DEFAULT_WMEM = 16_384;

/** Injects faults into a lab. Every fault acts on one link (in one direction where that applies). */
export class Faults {
  readonly #context: LabContext;
  readonly #firewall = new Firewall();
  readonly #active: Fault[] = [];
  readonly #mtus: Map<number, number>;
  #nextId = 1;
  #nextDelayLine = 1;

  constructor(context: LabContext, mtus: Map<number, number>) {
    this.#context = context;
    this.#mtus = mtus;
  }

  get active(): readonly Fault[] {
    return this.#active;
  }

  #hop(from: NodeName, to: NodeName): Hop {
    linkBetween(this.#context.topology, from, to);
    return { from, to };
  }

  #refuseSecond(kind: FaultSpec['kind'], same: (spec: FaultSpec) => boolean, label: string): void {
    const existing = this.#active.find((f) => f.spec.kind === kind && same(f.spec));
    if (existing) throw new Error(`${label} already has a fault: ${existing.describe()}. Remove it first.`);
  }

  async #install<M>(spec: FaultSpec, apply: () => Promise<() => Promise<void>>, verify: () => Promise<M>, options: FaultOptions): Promise<Fault<M>> {
    const undo = await apply();
    const fault = new Fault<M>(this.#nextId++, spec, verify, undo, (f) => this.#active.splice(this.#active.indexOf(f as Fault), 1));
    this.#active.push(fault as Fault);
    if (options.verify !== false) {
      try {
        await fault.verify();
      } catch (error) {
        await fault.remove();
        throw error;
      }
    }
    return fault;
  }

  /** Random loss of `percent` % of the packets `from` sends to `to` (dropped as they arrive at `to`). */
  async loss(from: NodeName, to: NodeName, percent: number, options: FaultOptions = {}): Promise<Fault<LossVerification>> {
    const hop = this.#hop(from, to);
    const per10k = Math.round(percent * 100);
    if (!(percent > 0 && percent <= 100) || per10k < 1) throw new RangeError(`Loss must be 0.01..100 %, not ${percent}.`);
    this.#refuseSecond('loss', (s) => s.kind === 'loss' && s.hop.from === from && s.hop.to === to, `${from}→${to}`);
    const ns = this.#context.ns(to);
    return this.#install(
      { kind: 'loss', hop, percent: per10k / 100 },
      async () => {
        const handle = await this.#firewall.add(ns, 'loss', ['iifname', `"${linkInterface(from)}"`, 'numgen', 'random', 'mod', '10000', '<', String(per10k), 'counter', 'drop'], `loss ${from}>${to}`);
        return () => this.#firewall.remove(ns, 'loss', handle);
      },
      () => verifyLoss(this.#context, hop),
      options,
    );
  }

  /** A token-bucket rate cap on what `from` sends to `to`, with `bufferBytes` of queue. */
  async rate(from: NodeName, to: NodeName, cap: RateCap, options: FaultOptions = {}): Promise<Fault<RateVerification>> {
    const hop = this.#hop(from, to);
    if (!(cap.rateMbit >= 0.1 && cap.rateMbit <= 10_000)) throw new RangeError(`Rate must be 0.1..10000 Mbit/s, not ${cap.rateMbit}.`);
    const mtu = this.#context.linkMtu(linkBetween(this.#context.topology, from, to).net);
    if (!(Number.isInteger(cap.bufferBytes) && cap.bufferBytes >= mtu + 14 && cap.bufferBytes <= 1 << 30)) {
      throw new RangeError(`Buffer must hold at least one packet (${mtu + 14} bytes), not ${cap.bufferBytes}.`);
    }
    this.#refuseSecond('rate', (s) => s.kind === 'rate' && s.hop.from === from && s.hop.to === to, `${from}→${to}`);
    this.#refuseSecond('delay', (s) => s.kind === 'delay' && s.backend === 'netem' && s.hop.from === from && s.hop.to === to, `${from}→${to} (netem holds its interface)`);
    const ns = this.#context.ns(from);
    const dev = linkInterface(to);
    const bitsPerSecond = Math.round(cap.rateMbit * 1e6);
    // two milliseconds of tokens, and never less than a few full frames
    const burst = Math.max(4 * (mtu + 14), Math.ceil(bitsPerSecond / 8 / 500));
    return this.#install(
      { kind: 'rate', hop, rateMbit: cap.rateMbit, bufferBytes: cap.bufferBytes },
      async () => {
        await tc(ns, ['qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', `${bitsPerSecond}bit`, 'burst', String(burst), 'limit', String(cap.bufferBytes)]);
        return async () => {
          await tc(ns, ['qdisc', 'del', 'dev', dev, 'root'], { reject: false });
        };
      },
      () => verifyRate(this.#context, hop),
      options,
    );
  }

  /**
   * Holds every packet `from` sends to `to` for `ms` milliseconds: with netem where the kernel has
   * it (on `from`'s interface), otherwise with a TUN delay line in the router at either end.
   * `backend` forces one; netem is not combined with a rate cap on the same hop.
   */
  async delay(from: NodeName, to: NodeName, ms: number, options: FaultOptions & { backend?: DelayBackend } = {}): Promise<Fault<DelayVerification>> {
    const hop = this.#hop(from, to);
    if (!(ms > 0 && ms <= 5000)) throw new RangeError(`Delay must be 0..5000 ms, not ${ms}.`);
    this.#refuseSecond('delay', (s) => s.kind === 'delay' && s.hop.from === from && s.hop.to === to, `${from}→${to}`);
    const backend = await this.#delayBackend(hop, options.backend ?? 'auto');
    const verifying = options.verify !== false;
    const probe = verifying ? delayProbe(this.#context, hop, backend) : null;
    const baseline = probe ? await measureDelayBaseline(this.#context, probe) : null;
    return this.#install(
      { kind: 'delay', hop, ms, backend },
      async () => {
        if (backend === 'netem') {
          const ns = this.#context.ns(from);
          const dev = linkInterface(to);
          await tc(ns, ['qdisc', 'add', 'dev', dev, 'root', 'netem', 'delay', `${ms}ms`, 'limit', '100000']);
          return async () => {
            await tc(ns, ['qdisc', 'del', 'dev', dev, 'root'], { reject: false });
          };
        }
        const line = await startDelayLine(this.#context, this.#firewall, hop, ms, this.#nextDelayLine++);
        return () => line.remove();
      },
      async () => {
        if (!probe || !baseline) throw new Error('This delay was installed with verify: false, so it has no baseline to compare with.');
        return verifyDelay(this.#context, hop, ms, probe, baseline);
      },
      options,
    );
  }

  async #delayBackend(hop: Hop, wanted: DelayBackend): Promise<'netem' | 'delay-line'> {
    if (wanted === 'delay-line') return wanted;
    const capped = this.#active.some((f) => f.spec.kind === 'rate' && f.spec.hop.from === hop.from && f.spec.hop.to === hop.to);
    const netem = await netemAvailable(this.#context.ns(hop.from));
    if (wanted === 'netem') {
      if (!netem) throw new Error('This kernel has no netem (sch_netem); use the delay line.');
      if (capped) throw new Error(`${hop.from}→${hop.to} has a rate cap; netem cannot share its interface, use the delay line.`);
      return 'netem';
    }
    return netem && !capped ? 'netem' : 'delay-line';
  }

  /**
   * Lowers the MTU of the link between `a` and `b` (both ends). With `blackhole`, the routers at
   * either end drop the ICMP "fragmentation needed" / "packet too big" messages they generate,
   * so senders never learn the path MTU.
   */
  async mtu(a: NodeName, b: NodeName, mtu: number, options: FaultOptions & { blackhole?: boolean } = {}): Promise<Fault<MtuVerification[]>> {
    const link = linkBetween(this.#context.topology, a, b);
    if (!(Number.isInteger(mtu) && mtu >= MIN_MTU && mtu <= MAX_MTU)) throw new RangeError(`MTU must be ${MIN_MTU}..${MAX_MTU} (IPv6 needs 1280), not ${mtu}.`);
    this.#refuseSecond('mtu', (s) => s.kind === 'mtu' && linkBetween(this.#context.topology, s.link[0], s.link[1]) === link, `link ${a}—${b}`);
    const blackhole = options.blackhole ?? false;
    const previous = this.#context.linkMtu(link.net);
    const setMtu = async (value: number) => {
      await ip(this.#context.ns(a), ['link', 'set', 'dev', linkInterface(b), 'mtu', String(value)]);
      await ip(this.#context.ns(b), ['link', 'set', 'dev', linkInterface(a), 'mtu', String(value)]);
      this.#mtus.set(link.net, value);
      await Promise.all(this.#context.topology.nodes.map((n) => flushPmtuCache(this.#context, n.name)));
    };
    return this.#install(
      { kind: 'mtu', link: [a, b], mtu, blackhole },
      async () => {
        const rules: { ns: string; handle: number }[] = [];
        if (blackhole) {
          for (const node of [a, b].filter((n) => nodeSpec(this.#context.topology, n).role === 'router')) {
            const ns = this.#context.ns(node);
            rules.push({ ns, handle: await this.#firewall.add(ns, 'pmtu', ['icmp', 'type', 'destination-unreachable', 'icmp', 'code', 'frag-needed', 'counter', 'drop'], `blackhole ${a}-${b}`) });
            rules.push({ ns, handle: await this.#firewall.add(ns, 'pmtu', ['icmpv6', 'type', 'packet-too-big', 'counter', 'drop'], `blackhole ${a}-${b}`) });
          }
        }
        await setMtu(mtu);
        return async () => {
          for (const rule of rules) await this.#firewall.remove(rule.ns, 'pmtu', rule.handle);
          await setMtu(previous);
        };
      },
      () => verifyMtu(this.#context, [a, b], blackhole),
      options,
    );
  }

  /**
   * Caps `node`'s TCP buffer autotuning (tcp_rmem / tcp_wmem maxima in its namespace). Applies to
   * sockets created afterwards: connections accepted by a listener opened earlier inherit its
   * larger initial buffer, so start servers on the node after this call.
   */
  async windowLimit(node: NodeName, limit: WindowLimit, options: FaultOptions = {}): Promise<Fault<WindowVerification>> {
    nodeSpec(this.#context.topology, node);
    for (const [name, value] of Object.entries(limit)) {
      if (!(Number.isInteger(value) && value >= 4096 && value <= 1 << 30)) throw new RangeError(`${name} must be 4096..2^30 bytes, not ${value}.`);
    }
    this.#refuseSecond('window', (s) => s.kind === 'window' && s.node === node, node);
    const ns = this.#context.ns(node);
    const before = { rmem: await readSysctl(ns, 'net.ipv4.tcp_rmem'), wmem: await readSysctl(ns, 'net.ipv4.tcp_wmem') };
    return this.#install(
      { kind: 'window', node, rmemMax: limit.rmemMax, wmemMax: limit.wmemMax },
      async () => {
        await sysctl(ns, {
          'net.ipv4.tcp_rmem': `4096 ${Math.min(TCP_DEFAULT_RMEM, limit.rmemMax)} ${limit.rmemMax}`,
          'net.ipv4.tcp_wmem': `4096 ${Math.min(TCP_DEFAULT_WMEM, limit.wmemMax)} ${limit.wmemMax}`,
        });
        return async () => {
          await sysctl(ns, { 'net.ipv4.tcp_rmem': before.rmem, 'net.ipv4.tcp_wmem': before.wmem });
        };
      },
      () => verifyWindow(this.#context, node, limit.rmemMax, limit.wmemMax),
      options,
    );
  }

  /** Removes every fault, newest first. */
  async clear(): Promise<void> {
    for (const fault of [...this.#active].reverse()) await fault.remove();
  }
}
