import type { NodeRunner } from './measure.ts';
import type { LabProcess, SpawnOptions } from './processes.ts';
import type { Hop, RoutingTables } from './routing.ts';
import type { Family, NodeName, Topology } from './topology.ts';

export type FaultSpec =
  | { readonly kind: 'loss'; readonly hop: Hop; readonly percent: number }
  | { readonly kind: 'rate'; readonly hop: Hop; readonly rateMbit: number; readonly bufferBytes: number }
  | { readonly kind: 'delay'; readonly hop: Hop; readonly ms: number; readonly backend: 'netem' | 'delay-line' }
  | { readonly kind: 'mtu'; readonly link: readonly [NodeName, NodeName]; readonly mtu: number; readonly blackhole: boolean }
  | { readonly kind: 'window'; readonly node: NodeName; readonly rmemMax: number; readonly wmemMax: number };

/** What faults, verifiers and route changes need from a running lab. */
export interface LabContext extends NodeRunner {
  readonly id: string;
  readonly topology: Topology;
  /** The lab's routes as they are now (route changes update them). */
  readonly routes: RoutingTables;
  ns(node: NodeName): string;
  addr(node: NodeName, family?: Family, peer?: NodeName): string;
  spawn(node: NodeName, argv: readonly string[], options?: SpawnOptions): Promise<LabProcess>;
  /** Current MTU of the link with this net number. */
  linkMtu(net: number): number;
  activeFaults(): readonly FaultSpec[];
}
