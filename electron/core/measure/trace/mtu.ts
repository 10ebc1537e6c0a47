import type { MtuProbe, MtuSummary } from '../../../shared/path.ts';
import { dfProbe, type DfProbeResult } from '../ping/run.ts';
import { pathFailure, type PathFailure } from './errors.ts';
import { emptyOutcome, prepare, safeCall, type PathRunCommon, type PathRunOutcome } from './outcome.ts';
import { runTracepath, type TraceResult } from './run.ts';

/**
 * The MTU method: where along the path the MTU drops (tracepath, per hop) and what the path
 * really carries end to end (a Don't-Fragment ping size search). Disagreement between the two, or
 * large DF probes that vanish without any "fragmentation needed", is the PMTU black-hole
 * signature (reference §2.3).
 */

export interface RunMtuOptions extends PathRunCommon {
  tracepath?: boolean;
  pingSearch?: boolean;
  minMtu?: number;
  maxMtu?: number;
  maxHops?: number;
  timeoutSeconds?: number;
  onProbe?(probe: MtuProbe): void;
}

export interface MtuResult {
  summary: MtuSummary;
  trace: TraceResult | null;
  probes: MtuProbe[];
}

export type Prober = (mtu: number) => Promise<Pick<DfProbeResult, 'outcome' | 'reportedMtu' | 'from' | 'cancelled'>>;

export interface SearchOutcome {
  /** Largest size that came back, or null if not even the smallest did. */
  mtu: number | null;
  /** `mtu` is the top of the range, so the path carries at least that much. */
  lowerBound: boolean;
  /** Sizes above `mtu` disappeared without an ICMP "too big". */
  silentDrop: boolean;
  probes: MtuProbe[];
  cancelled: boolean;
}

const MAX_STEPS = 24;

/**
 * Binary search for the largest DF packet that gets an answer, within [min, max]. A hint (the
 * tracepath result) is tried first: if it fits and hint+1 does not, two probes settle it. An error
 * that names the MTU ("mtu = 1400") is followed directly. Bounded to MAX_STEPS probes.
 */
export async function searchMtu(probe: Prober, range: { min: number; max: number; hint?: number | null }, onProbe?: (p: MtuProbe) => void): Promise<SearchOutcome> {
  const probes: MtuProbe[] = [];
  let silentDrop = false;
  const tried = new Map<number, MtuProbe['outcome']>();
  const run = async (mtu: number): Promise<{ outcome: MtuProbe['outcome']; reportedMtu: number | null; cancelled: boolean }> => {
    const r = await probe(mtu);
    const entry: MtuProbe = { step: probes.length + 1, mtu, outcome: r.outcome, reportedMtu: r.reportedMtu, from: r.from };
    probes.push(entry);
    tried.set(mtu, r.outcome);
    safeCall(onProbe, entry);
    return r;
  };
  const min = Math.min(range.min, range.max);
  const max = Math.max(range.min, range.max);
  const first = await run(min);
  if (first.cancelled) return { mtu: null, lowerBound: false, silentDrop, probes, cancelled: true };
  if (first.outcome !== 'fits') return { mtu: null, lowerBound: false, silentDrop, probes, cancelled: false };
  let lo = min; // known to fit
  let hi = max + 1; // known not to fit (exclusive)
  const next: number[] = [];
  if (range.hint && range.hint > lo && range.hint <= max) next.push(range.hint, range.hint + 1);
  else next.push(max);
  while (hi - lo > 1 && probes.length < MAX_STEPS) {
    let candidate = next.shift();
    while (candidate !== undefined && (candidate <= lo || candidate >= hi)) candidate = next.shift();
    const mtu = candidate ?? Math.floor((lo + hi) / 2);
    const r = await run(mtu);
    if (r.cancelled) return { mtu: lo, lowerBound: false, silentDrop, probes, cancelled: true };
    if (r.outcome === 'fits') lo = mtu;
    else {
      hi = mtu;
      if (r.outcome === 'noReply') silentDrop = true;
      if (r.reportedMtu !== null && r.reportedMtu > lo && r.reportedMtu < hi) next.unshift(r.reportedMtu, r.reportedMtu + 1);
    }
  }
  return { mtu: lo, lowerBound: lo === max && tried.get(max) === 'fits', silentDrop: silentDrop && hi <= max, probes, cancelled: false };
}

const SILENT_HOPS_TO_STOP = 3;

export async function runMtu(options: RunMtuOptions): Promise<PathRunOutcome<MtuResult>> {
  const started = Date.now();
  const usePing = options.pingSearch ?? true;
  const useTracepath = (options.tracepath ?? true) && process.platform === 'linux';
  const prepared = await prepare<MtuResult>(options, usePing ? 'ping' : 'tracepath', started);
  if (!prepared.ok) return prepared.outcome;
  const { address, family, tool, signal } = prepared;
  const problems: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const commands: string[][] = [];
  let toolVersion: string | null = tool.version;
  let trace: TraceResult | null = null;
  let search: SearchOutcome | null = null;
  const probes: MtuProbe[] = [];

  const finish = (status: PathRunOutcome<MtuResult>['status'], error: PathFailure | null, summary: MtuSummary | null): PathRunOutcome<MtuResult> =>
    emptyOutcome<MtuResult>(usePing ? 'ping' : 'tracepath', started, status, error, {
      toolVersion,
      command: commands[0] ?? [],
      stdout: stdout.join('\n'),
      stderr: stderr.join('\n'),
      family,
      targetAddress: address,
      result: summary || trace || probes.length > 0 ? { summary: summary ?? partialSummary(), trace, probes } : null,
    });
  const partialSummary = (): MtuSummary => ({
    family: family === 6 ? '6' : '4',
    targetAddress: address,
    localMtu: trace?.trace.localMtu ?? null,
    pathMtu: null,
    tracepathMtu: trace ? (trace.trace.pathMtu ?? trace.assessment.mtu.final) : null,
    pingMtu: null,
    pingMtuIsLowerBound: false,
    drops: trace?.assessment.mtu.drops ?? [],
    blackHoleSuspected: false,
    hops: trace?.assessment.destinationTtl ?? null,
    problems: [...problems],
  });

  if (useTracepath) {
    // Full-size probes that vanish (a black hole, or filtering) leave every further TTL silent at
    // ~3 s each; past a few silent hops tracepath has said all it will, so stop it there.
    const silence = new AbortController();
    let silentHops = 0;
    const tp = await runTracepath({
      ...options,
      host: address,
      family: family === 6 ? '6' : '4',
      resolve: async () => ({ address, family }),
      signal: AbortSignal.any([signal, silence.signal]),
      onHop: (hop) => {
        silentHops = hop.received > 0 || hop.responders.length > 0 ? 0 : silentHops + 1;
        if (silentHops >= SILENT_HOPS_TO_STOP) silence.abort();
      },
    });
    commands.push(tp.command);
    stdout.push(`### ${tp.command.join(' ')}\n${tp.stdout}`);
    if (tp.stderr) stderr.push(tp.stderr);
    trace = tp.result;
    if (!usePing) toolVersion = tp.toolVersion;
    if (tp.status === 'cancelled' && !silence.signal.aborted) return finish('cancelled', pathFailure('cancelled', 'The run was cancelled.'), null);
    if (silence.signal.aborted) problems.push(`tracepath: no answer from ${SILENT_HOPS_TO_STOP} hops in a row with full-size probes; stopped there`);
    else if (tp.status === 'failed') problems.push(`tracepath: ${tp.error?.message ?? 'failed'}`);
  }

  const tracepathMtu = trace ? (trace.trace.pathMtu ?? trace.assessment.mtu.final) : null;
  const localMtu = trace?.trace.localMtu ?? null;
  if (usePing) {
    const floor = family === 6 ? 1280 : 68;
    const min = Math.max(floor, options.minMtu ?? (family === 6 ? 1280 : 576));
    const max = Math.max(min, Math.min(options.maxMtu ?? 9000, localMtu ?? 65535));
    safeCall(options.onStarted, { tool: 'ping', toolVersion: tool.version ?? 'unknown', command: [tool.path, '-M', 'do'] });
    let timedOut = false;
    const prober: Prober = async (mtu) => {
      if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs) {
        timedOut = true;
        return { outcome: 'error', reportedMtu: null, from: null, cancelled: true };
      }
      const r = await dfProbe({ tool, family, address, mtu, timeoutSeconds: options.timeoutSeconds ?? 1, signal });
      commands.push(r.command);
      stdout.push(`### ${r.command.join(' ')}\n${r.stdout}`);
      if (r.stderr) stderr.push(`### ${r.command.join(' ')}\n${r.stderr}`);
      safeCall(options.onProgress, { elapsed: (Date.now() - started) / 1000, fraction: null });
      return r;
    };
    search = await searchMtu(prober, { min, max, hint: tracepathMtu }, (p) => {
      probes.push(p);
      safeCall(options.onProbe, p);
    });
    if (timedOut) return finish('failed', pathFailure('timeout', 'The MTU search did not finish within its time budget.'), null);
    if (search.cancelled) return finish('cancelled', pathFailure('cancelled', 'The run was cancelled.'), null);
    if (search.mtu === null) problems.push(`The target does not answer ${min}-byte pings with Don't Fragment set, so the end-to-end MTU could not be measured (ICMP echo filtered?).`);
    if (search.lowerBound) problems.push(`The path carried the largest size tried (${max} bytes); its MTU is at least that.`);
  }

  const pingMtu = search?.mtu ?? null;
  const lowerBound = search?.lowerBound ?? false;
  // A search that hit its ceiling says "at least pingMtu", which never contradicts tracepath.
  const blackHole = (pingMtu !== null && tracepathMtu !== null && !lowerBound && pingMtu < tracepathMtu) || (search?.silentDrop ?? false);
  if (blackHole) problems.push('Large Don\'t-Fragment packets vanish without an ICMP "fragmentation needed": a PMTU black hole (TCP bulk transfers will stall). Allow ICMP type 3 code 4 / ICMPv6 packet-too-big, clamp the MSS, or enable tcp_mtu_probing=1.');
  const summary: MtuSummary = {
    ...partialSummary(),
    localMtu,
    pathMtu: pingMtu !== null && !(lowerBound && tracepathMtu !== null && tracepathMtu > pingMtu) ? pingMtu : tracepathMtu,
    pingMtu,
    pingMtuIsLowerBound: lowerBound,
    blackHoleSuspected: blackHole,
    problems: [...problems, ...(trace?.trace.problems ?? [])],
  };
  const measured = pingMtu !== null || tracepathMtu !== null;
  return finish(measured ? 'succeeded' : 'failed', measured ? null : pathFailure('tool-failed', problems.join(' ') || 'No MTU could be measured.'), summary);
}
