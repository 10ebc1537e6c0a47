// The lab's public surface for other test suites: `import { Lab, describeLab } from '../lab/index.ts'`.
export { describeLab, labRequired, labSkipReason } from './gate.ts';
export { IPERF3_PORT, Lab, LabUnavailableError, PSW_BIN, type LabOptions } from './lab.ts';
export { Fault, type DelayBackend, type FaultOptions, type RateCap, type WindowLimit } from './faults.ts';
export type { FaultSpec } from './context.ts';
export type { RouteChange, RouteChangeSpec } from './routes.ts';
export { LabProcess, type Readiness, type SpawnOptions } from './processes.ts';
export * from './measure.ts';
export { binomialAcceptance, lossProbeCount, median } from './stats.ts';
export { LabVerificationError, TOLERANCE } from './verify.ts';
export { LabSafetyError } from './safety.ts';
export { leftovers, processAlive } from './leftovers.ts';
export { TOPOLOGIES, type Family, type NodeName, type Topology, type TopologyName } from './topology.ts';
