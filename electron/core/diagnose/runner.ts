import { lookup } from 'node:dns/promises';
import { ipFamily } from '../../shared/ip.ts';
import { WorkbenchError, toErrorInfo } from '../../shared/errors.ts';
import type { Diagnosis, DiagnoseInput, Verdict } from '../../shared/diagnosis.ts';
import type { WorkbenchEvent } from '../../shared/events.ts';
import type { RunDetail, RunSummary, StartRunInput } from '../../shared/runs.ts';
import type { SelfCheckReport } from '../../shared/selfcheck.ts';
import type { Store } from '../store/index.ts';
import { diffPaths } from '../measure/trace/identity.ts';
import type { PathEvidence } from './evidence.ts';
import { evidenceFromRuns, type RoleRun } from './from-runs.ts';
import { batches, lossPackets, planDiagnosis, shouldRun, traceRttSeconds, withLossPackets, type Depth, type PlannedStep, type StepOutcome } from './plan.ts';
import { deriveVerdict } from './verdict.ts';

export interface DiagnosisDeps {
  store: Store;
  startRun(request: StartRunInput): Promise<number>;
  waitForRun(runId: number): Promise<RunSummary>;
  cancelRun(runId: number): void;
  runDetail(runId: number): RunDetail;
  selfCheck(options: { rttMs?: number; targetBitsPerSecond?: number }): Promise<SelfCheckReport>;
  emit(event: WorkbenchEvent): void;
}

/** The families a host can be tested over: an IP literal has one; a name has what DNS returns. */
export async function familiesOf(host: string): Promise<Array<'4' | '6'>> {
  const literal = ipFamily(host.split('%')[0] ?? host);
  if (literal) return [literal === 4 ? '4' : '6'];
  try {
    const all = await lookup(host, { all: true });
    const families = new Set(all.map((a) => (a.family === 6 ? '6' : '4') as '4' | '6'));
    return (['4', '6'] as const).filter((f) => families.has(f));
  } catch (error) {
    throw new WorkbenchError('HOST_UNKNOWN', `The host name ${host} could not be resolved.`, { cause: error });
  }
}

const SEVERITY: Verdict['class'][] = ['mtu', 'loss-limited', 'host-limited', 'capacity-limited', 'path-changed', 'inconclusive', 'healthy'];

/**
 * The route change since the previous trace run to the same host over the same address family
 * (the IPv6 route of a dual-stack host is another path, and the tracepath inside an mtu run is not
 * a route measurement); null when diffPaths finds no hop that changed.
 */
export function pathChangeBefore(store: Store, traceRunId: number): PathEvidence['changedFrom'] {
  const current = store.db.prepare("SELECT r.path_fingerprint, r.family_used, t.host FROM runs r JOIN targets t ON t.id = r.target_id WHERE r.id = ? AND r.kind = 'trace'").get(traceRunId) as { path_fingerprint: string | null; family_used: string | null; host: string } | undefined;
  if (!current?.path_fingerprint) return null;
  const previous = store.db
    .prepare("SELECT r.id, r.path_fingerprint, r.finished_at FROM runs r JOIN targets t ON t.id = r.target_id WHERE t.host = ? AND r.family_used IS ? AND r.kind = 'trace' AND r.status = 'succeeded' AND r.id < ? ORDER BY r.id DESC LIMIT 1")
    .get(current.host, current.family_used, traceRunId) as { id: number; path_fingerprint: string | null; finished_at: number } | undefined;
  if (!previous?.path_fingerprint || previous.path_fingerprint === current.path_fingerprint) return null;
  const path = (runId: number) => ({ reached: store.paths.pathRun(runId)?.reached ?? true, hops: store.paths.hops(runId).hops });
  const diff = diffPaths(path(previous.id), path(traceRunId));
  const changedTtls = diff.hops.filter((h) => h.status !== 'same' && h.status !== 'unknown').map((h) => h.ttl);
  if (diff.same || changedTtls.length === 0) return null;
  return { runId: previous.id, fingerprint: previous.path_fingerprint, changedTtls, at: previous.finished_at };
}

/** Re-derives the verdicts of a stored diagnosis from its stored runs: no measurement. */
export function deriveDiagnosis(store: Store, diagnosis: Diagnosis, runDetail: (runId: number) => RunDetail): Pick<Diagnosis, 'verdict' | 'perFamily'> {
  const host = store.diagnoses.host(diagnosis.id);
  const families = [...new Set(diagnosis.runs.map((r) => r.family))];
  const perFamily = families.map((family) => {
    const runs: RoleRun[] = diagnosis.runs.filter((r) => r.family === family).map((r) => ({ role: r.role, family: r.family, run: runDetail(r.runId) }));
    const trace = runs.find((r) => r.role === 'trace');
    const pathChange = trace ? pathChangeBefore(store, trace.run.id) : null;
    return { family, verdict: deriveVerdict(evidenceFromRuns({ target: diagnosis.target.host, targetBitsPerSecond: diagnosis.targetBitsPerSecond, host, runs, via: diagnosis.via, pathChange })) };
  });
  const worst = [...perFamily].sort((a, b) => SEVERITY.indexOf(a.verdict.class) - SEVERITY.indexOf(b.verdict.class))[0];
  return { verdict: worst?.verdict ?? null, perFamily };
}

interface RunState {
  cancelled: boolean;
  /** Runs in flight (light probes run side by side). */
  runIds: Set<number>;
}

/** Runs diagnoses: plan, measure through the job queue (so its rules hold), audit the host, judge. */
export class DiagnosisRunner {
  readonly #deps: DiagnosisDeps;
  readonly #active = new Map<number, RunState & { done: Promise<void> }>();

  constructor(deps: DiagnosisDeps) {
    this.#deps = deps;
  }

  async start(input: Required<Omit<DiagnoseInput, 'target'>> & { target: { host: string; port: number | null } }): Promise<number> {
    const families = await familiesOf(input.target.host);
    const { store } = this.#deps;
    const id = store.diagnoses.create(input.target.host, input.target.port, { via: input.via, targetBitsPerSecond: input.targetBitsPerSecond, depth: input.depth, owampPort: input.owampPort }, Date.now());
    const state = { cancelled: false, runIds: new Set<number>(), done: Promise.resolve() };
    // Let the caller learn the id before the first progress event.
    state.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#run(id, input, families, state)).catch(() => undefined);
    this.#active.set(id, state);
    return id;
  }

  cancel(id: number): boolean {
    const state = this.#active.get(id);
    if (!state) return false;
    state.cancelled = true;
    for (const runId of state.runIds) this.#deps.cancelRun(runId);
    return true;
  }

  async shutdown(): Promise<void> {
    for (const id of this.#active.keys()) this.cancel(id);
    await Promise.allSettled([...this.#active.values()].map((s) => s.done));
  }

  async #run(id: number, input: { target: { host: string; port: number | null }; targetBitsPerSecond: number; depth: Depth; via: string[]; owampPort: number | null }, families: Array<'4' | '6'>, state: RunState): Promise<void> {
    const { store, emit } = this.#deps;
    const steps = planDiagnosis(input.target, families, input.depth, input.via, input.owampPort);
    const total = steps.length + 1;
    const outcomes = new Map<string, StepOutcome>();
    const rttByFamily = new Map<string, number | null>();
    const sized = (step: PlannedStep) => (/^(loss|segment-\d+)-(rtt|owamp)$/.test(step.role) ? withLossPackets(step, lossPackets(input.depth, rttByFamily.get(String(step.family)) ?? null, input.targetBitsPerSecond, step.family)) : step);
    try {
      for (const batch of batches(steps)) {
        if (state.cancelled) break;
        const started: Array<{ step: PlannedStep; runId: number }> = [];
        for (const { step: planned, index } of batch) {
          if (!shouldRun(planned, outcomes, input.targetBitsPerSecond)) continue;
          const step = sized(planned);
          emit({ type: 'diagnosis.progress', diagnosisId: id, step: index + 1, of: total, message: step.label, runId: null });
          const runId = await this.#deps.startRun(step.request);
          state.runIds.add(runId);
          store.diagnoses.addRun(id, { runId, role: step.role, family: step.family });
          emit({ type: 'diagnosis.progress', diagnosisId: id, step: index + 1, of: total, message: step.label, runId });
          started.push({ step, runId });
        }
        await Promise.all(
          started.map(async ({ step, runId }) => {
            const finished = await this.#deps.waitForRun(runId);
            state.runIds.delete(runId);
            const ok = finished.status === 'succeeded';
            const detail = ok && (step.role === 'trace' || step.role === 'mtu' || step.request.kind === 'throughput') ? this.#deps.runDetail(runId) : null;
            outcomes.set(`${step.family}:${step.role}`, { succeeded: ok, bitsPerSecond: detail?.throughput?.receivedBitsPerSecond ?? null, blackHole: detail?.mtu?.blackHoleSuspected ?? false });
            if (step.role === 'trace' && detail) rttByFamily.set(String(step.family), traceRttSeconds(detail));
          }),
        );
      }
      if (state.cancelled) {
        store.diagnoses.finish(id, 'cancelled', null, [], { code: 'CANCELLED', message: 'The diagnosis was cancelled.' }, Date.now());
        emit({ type: 'diagnosis.finished', diagnosisId: id, status: 'cancelled', verdictClass: null });
        return;
      }
      emit({ type: 'diagnosis.progress', diagnosisId: id, step: total, of: total, message: 'Auditing this host against the measured path', runId: null });
      const diagnosis = store.diagnoses.get(id);
      if (!diagnosis) throw new WorkbenchError('INTERNAL', 'the diagnosis disappeared');
      const rtts = diagnosis.runs.filter((r) => r.role.startsWith('throughput-')).map((r) => this.#deps.runDetail(r.runId).throughput?.minRtt).filter((v): v is number => typeof v === 'number' && v > 0);
      const report = await this.#deps.selfCheck({ rttMs: rtts.length ? Math.max(0.01, Math.min(...rtts) / 1000) : undefined, targetBitsPerSecond: input.targetBitsPerSecond });
      store.diagnoses.saveHost(id, report);
      const { verdict, perFamily } = deriveDiagnosis(store, diagnosis, this.#deps.runDetail);
      store.diagnoses.finish(id, 'finished', verdict, perFamily, null, Date.now());
      emit({ type: 'diagnosis.finished', diagnosisId: id, status: 'finished', verdictClass: verdict?.class ?? null });
    } catch (error) {
      const info = toErrorInfo(error);
      store.diagnoses.finish(id, 'failed', null, [], info, Date.now());
      emit({ type: 'diagnosis.finished', diagnosisId: id, status: 'failed', verdictClass: null });
    } finally {
      this.#active.delete(id);
    }
  }
}
