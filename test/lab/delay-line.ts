import { fileURLToPath } from 'node:url';
import { LOCAL_RULE_PREF } from './build.ts';
import { ip, ipBatch } from './commands.ts';
import type { LabContext } from './context.ts';
import type { Firewall } from './firewall.ts';
import { delayInterface, linkInterface } from './names.ts';
import type { LabProcess } from './processes.ts';
import type { Hop } from './routing.ts';
import { addressOn, linksOf, nodeSpec, type NodeName } from './topology.ts';

export const DELAY_LINE_SCRIPT = fileURLToPath(new URL('./delay-line.py', import.meta.url));

/**
 * Policy-routing rules in a router, in the order a packet meets them (the lab's base rules 3 and
 * 4 already send neighbour discovery, ARP — see ND_MARK — and the router's own packets straight
 * to the local table):
 *   5  iif <link>  lookup <line>   ingress lines: everything arriving over the delayed hop
 *   6  iif dlN     goto 99         an egress line's own output goes on unrouted by other egress lines
 *   7  lookup <line>               egress lines: only their host's addresses are in the table
 * A packet leaving an ingress line (iif dlN) meets the egress lines next, so delays on
 * consecutive hops through one router add up.
 */
const INGRESS_PREF = 5;
const EGRESS_DONE_PREF = 6;
const EGRESS_PREF = 7;

export interface DelayPlacement {
  readonly router: NodeName;
  readonly mode: 'ingress' | 'egress';
  /** prefixes routed into the delay line */
  readonly destinations: readonly string[];
}

/**
 * Where a delay on `hop` runs: in `hop.to` when it is a router (everything arriving from
 * `hop.from`, traffic to the router itself included), otherwise in `hop.from` when it is a router
 * (everything it forwards to host `hop.to`; its own packets to the host are not delayed). A
 * host-to-host hop cannot be delayed: hosts do not forward.
 */
export function delayPlacement(context: Pick<LabContext, 'topology' | 'routes'>, hop: Hop): DelayPlacement {
  const { topology } = context;
  if (nodeSpec(topology, hop.to).role === 'router') {
    return { router: hop.to, mode: 'ingress', destinations: ['198.18.0.0/15', '2001:db8::/32'] };
  }
  if (nodeSpec(topology, hop.from).role === 'router') {
    const table = context.routes.get(hop.from);
    const target = nodeSpec(topology, hop.to);
    const destinations = linksOf(topology, hop.to)
      .filter((link) => {
        const via = table?.get(link.net);
        return via === null || via === hop.to;
      })
      .flatMap((link) => [`${addressOn(link.net, target.id, 4)}/32`, `${addressOn(link.net, target.id, 6)}/128`]);
    return { router: hop.from, mode: 'egress', destinations };
  }
  throw new Error(`Cannot delay ${hop.from}→${hop.to}: neither end is a router, and a delay line runs in a router.`);
}

function ruleLines(placement: DelayPlacement, hop: Hop, device: string, table: string): string[] {
  if (placement.mode === 'ingress') return [`pref ${INGRESS_PREF} iif ${linkInterface(hop.from)} lookup ${table}`];
  return [`pref ${EGRESS_DONE_PREF} iif ${device} goto ${LOCAL_RULE_PREF}`, `pref ${EGRESS_PREF} lookup ${table}`];
}

export interface DelayLine {
  readonly router: NodeName;
  readonly device: string;
  readonly process: LabProcess;
  remove(): Promise<void>;
}

/** Starts delay-line.py in the right router and routes the hop's packets through it. */
export async function startDelayLine(context: LabContext, firewall: Firewall, hop: Hop, ms: number, index: number): Promise<DelayLine> {
  const placement = delayPlacement(context, hop);
  const ns = context.ns(placement.router);
  const device = delayInterface(index);
  const table = String(100 + index);
  const rules = ruleLines(placement, hop, device, table);
  await firewall.prepare(ns);
  const process = await context.spawn(placement.router, ['python3', DELAY_LINE_SCRIPT, '--dev', device, '--delay-ms', String(ms)], {
    ready: { kind: 'stdout', pattern: new RegExp(`^ready ${device}$`, 'm') },
    detached: false,
  });
  const remove = async () => {
    for (const family of [4, 6] as const) {
      for (const rule of rules) await ipBatch(ns, [`rule del ${rule}`], family).catch(() => undefined);
    }
    await process.stop();
  };
  try {
    await ip(ns, ['link', 'set', 'dev', device, 'mtu', '65535', 'txqueuelen', '1000', 'up']);
    await ipBatch(ns, [...placement.destinations.map((prefix) => `route add ${prefix} dev ${device} table ${table}`), ...rules.map((r) => `rule add ${r}`)]);
    await ipBatch(ns, rules.map((r) => `rule add ${r}`), 6);
  } catch (error) {
    await remove();
    throw error;
  }
  return { router: placement.router, device, process, remove };
}
