/**
 * Path measurements: parsers for every traceroute/tracepath/mtr/tracert format, the per-hop
 * assessment (ICMP rate limiting vs forwarding loss), path identity and change detection, the
 * runners that drive the real tools, the MTU method, and the per-hop store.
 */
export { assessPath, mtuProfile, significantlyHigher, type AssessOptions } from './analysis.ts';
export { mtrArgs, PARIS_UDP_PORT, stableSourcePort, tracepathArgs, tracerouteArgs, tracerouteExecutable } from './args.ts';
export { classifyToolError, pathFailure, PERMISSION_CODE, type PathFailure, type PathFailureReason } from './errors.ts';
export { detectPathChanges, diffPaths, fingerprintOfKey, pathFingerprint, pathKey, type PathLike, type PathRun } from './identity.ts';
export { runRttMethod, runMtuMethod, runTraceMethod, traceSummary, type PathMethodContext } from './method.ts';
export { runMtu, searchMtu, type MtuResult, type Prober, type RunMtuOptions, type SearchOutcome } from './mtu.ts';
export { resolveHopNames, systemReverseLookup, type ReverseLookup } from './names.ts';
export type { PathRunCommon, PathRunOutcome } from './outcome.ts';
export { detectPathFormat, parseMtrJson, parseMtrReport, parsePath, parseTracepath, parseTraceroute, parseTracert, type ParsePathOptions } from './parse.ts';
export { runMtr, runTrace, runTracepath, runTraceWith, type RunMtrOptions, type RunTraceOptions, type TraceCommon, type TraceResult } from './run.ts';
export { runToolProcess, type ToolExit, type ToolProcess } from './spawn.ts';
export { PathStore, type StoredPathRun } from './store.ts';
export { locatePathTools, usableTraceMethods, PATH_TOOL_EXECUTABLES, PATH_TOOL_NAMES, PATH_TOOL_SPECS, type PathTool, type PathToolName, type PathToolSource, type PathToolSpec } from './tools.ts';
