import { isChannel, type Channel } from '../shared/channels.ts';
import { contract, type AppInfo, type Handlers, type In, type Out } from '../shared/contract.ts';
import { toErrorInfo, WorkbenchError, type Result } from '../shared/errors.ts';
import { WorkbenchEvent } from '../shared/events.ts';
import { FINAL_STATUSES, type RunDetail, type RunSummary, type StartRunRequest } from '../shared/runs.ts';
import { TOOL_NAMES } from '../shared/tools.ts';
import { compare } from './compare/index.ts';
import { detectPathChanges } from './measure/trace/identity.ts';
import type { PathHop } from '../shared/path.ts';
import { cacheStatus, hostsForHops, refreshCache, searchHosts, startBackgroundRefresh, type BackgroundRefresh } from './discovery/index.ts';
import { DiagnosisRunner, deriveDiagnosis } from './diagnose/runner.ts';
import { selfCheck } from './diagnose/selfcheck/index.ts';
import { EventBus, type Listener } from './events.ts';
import { abortOutcome, type MethodContext, type MethodOutcome } from './measure/method.ts';
import { methodFor, type RequestOf } from './measure/registry.ts';
import { ToolResolver, toolPathProblem, type ToolResolverOptions } from './measure/tools.ts';
import { endLeftoverTool } from './jobs/orphans.ts';
import { JobRunner } from './jobs/runner.ts';
import { Store } from './store/index.ts';
import { formatIssues } from './validation.ts';

export interface WorkbenchOptions {
  dbPath: string;
  adapter: AppInfo['adapter'];
  version?: string;
  tools?: ToolResolverOptions;
  /** Check every handler's output and every event against the contract too (tests turn this on; default: PSW_VALIDATE_OUTPUTS=1). */
  validateOutputs?: boolean;
  /** First delay before retrying a busy server (doubling each time, plus jitter). */
  busyRetryBaseMs?: number;
  /**
   * Keep the discovery cache fresh in the background (long-lived adapters: Electron, serve), emitting
   * hosts.refreshed. `true`: every 30 min, unless PSW_BACKGROUND_REFRESH=0 (tests: never the real LS).
   */
  backgroundRefresh?: boolean | { intervalMs?: number; initialDelayMs?: number };
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The workbench: the one object every adapter (Electron IPC, the CLI, the serve bridge) talks to.
 * It validates input against the contract, runs measurements as jobs, stores every outcome and
 * publishes events.
 */
export class Workbench {
  readonly store: Store;
  readonly tools: ToolResolver;
  readonly #events = new EventBus();
  // A job that threw could not store its outcome: still tell listeners it ended.
  readonly #jobs = new JobRunner({ onJobError: (runId, error) => this.#emit({ type: 'run.finished', runId, status: 'failed', error: toErrorInfo(error) }) });
  readonly #options: WorkbenchOptions;
  readonly #handlers: Handlers;
  readonly #diagnoses: DiagnosisRunner;
  readonly #validateOutputs: boolean;
  readonly #refresher: BackgroundRefresh | null;
  /** Aborted by close(): Lookup Service requests in flight stop with the workbench. */
  readonly #discovery = new AbortController();
  #closing: Promise<void> | null = null;

  private constructor(options: WorkbenchOptions) {
    this.#options = options;
    this.#validateOutputs = options.validateOutputs ?? process.env.PSW_VALIDATE_OUTPUTS === '1';
    this.store = new Store(options.dbPath);
    const given = options.tools?.configured;
    // Paths the user set in settings win over the adapter's (and over bundled and PATH).
    this.tools = new ToolResolver({ ...options.tools, configured: () => ({ ...(typeof given === 'function' ? given() : given), ...this.store.settings.get().toolPaths }) });
    this.store.runs.markOrphansInterrupted(Date.now(), isProcessAlive, (pid, command) => void endLeftoverTool(pid, command));
    this.store.diagnoses.markOrphansInterrupted(Date.now(), isProcessAlive);
    this.#diagnoses = new DiagnosisRunner({
      store: this.store,
      startRun: async (request) => (await this.call('runs.start', request)).runId,
      waitForRun: (runId) => this.waitForRun(runId),
      cancelRun: (runId) => void this.#jobs.cancel(runId),
      runDetail: (runId) => this.#runDetail(runId),
      selfCheck: (options) => selfCheck(options),
      emit: (event) => this.#emit(event),
    });
    this.#handlers = {
      'app.info': async () => ({
        version: options.version ?? '0.0.0',
        dbPath: options.dbPath,
        platform: `${process.platform}-${process.arch}`,
        adapter: options.adapter,
      }),
      'runs.start': async (input) => ({ runId: this.#startRun(input) }),
      'runs.cancel': async ({ runId }) => ({ cancelled: this.#jobs.cancel(runId) }),
      'runs.list': async (filter) => this.store.runs.list(filter),
      'runs.get': async ({ runId }) => this.#runDetail(runId),
      'runs.delete': async ({ runIds }) => ({ deleted: this.store.runs.delete(runIds) }),
      'runs.tag': async ({ runIds, add, remove }) => ({ runIds: this.store.runs.tag(runIds, add, remove) }),
      'tools.list': async () => Promise.all(TOOL_NAMES.map((name) => this.tools.describe(name))),
      'host.selfCheck': async (input) => selfCheck(input),
      'compare.series': async (input) => compare(this.store, input),
      'hosts.search': async ({ probe, sources, mode, budgetMs, ...query }) =>
        searchHosts(query, { sources: this.#lsSources(sources), mode, budgetMs, probe, cache: this.store.discovery, signal: this.#discovery.signal }),
      'hosts.forHops': async ({ ips, sources, mode, budgetMs }) =>
        hostsForHops(ips, { sources: this.#lsSources(sources), mode, budgetMs, cache: this.store.discovery, signal: this.#discovery.signal }),
      'hosts.refresh': async ({ sources }) => refreshCache(this.store.discovery, { sources: this.#lsSources(sources), signal: this.#discovery.signal }),
      'hosts.cacheStatus': async () => cacheStatus(this.store.discovery),
      'hosts.favourites': async () => this.store.settings.favourites(),
      'hosts.setFavourite': async ({ host, favourite }) => this.store.settings.setFavourite(host, favourite, Date.now()),
      'settings.get': async () => this.store.settings.get(),
      'settings.update': async (patch) => {
        for (const [name, path] of Object.entries(patch.toolPaths ?? {})) {
          const problem = path === undefined ? null : await toolPathProblem(path);
          if (problem) throw new WorkbenchError('INVALID_INPUT', `toolPaths.${name}: ${problem}.`);
        }
        return this.store.settings.update(patch, Date.now());
      },
      'paths.history': async ({ host, limit, family: asked }) => {
        const families = this.store.paths.familiesForHost(host);
        const family = asked ?? families[0] ?? null;
        const runs = family ? this.store.paths.historyForHost(host, { limit, family }).reverse() : [];
        return {
          family,
          families,
          // PathStore.history returns the full stored hops; PathRun only names the fields identity needs.
          runs: runs.map((r) => ({ runId: r.runId, at: r.at, reached: r.path.reached, fingerprint: r.stored.fingerprint, hops: r.path.hops as PathHop[], assessment: this.store.paths.hops(r.runId).assessment })),
          history: detectPathChanges(runs),
        };
      },
      'diagnose.start': async (input) => ({ diagnosisId: await this.#diagnoses.start(input) }),
      'diagnose.cancel': async ({ diagnosisId }) => ({ cancelled: this.#diagnoses.cancel(diagnosisId) }),
      'diagnose.get': async ({ diagnosisId }) => this.#diagnosis(diagnosisId),
      'diagnose.list': async ({ limit, host }) => this.store.diagnoses.list(limit, host),
      'diagnose.rederive': async ({ diagnosisId }) => {
        const diagnosis = this.#diagnosis(diagnosisId);
        if (diagnosis.status !== 'finished') throw new WorkbenchError('INVALID_INPUT', `Diagnosis ${diagnosisId} is ${diagnosis.status}; only finished diagnoses can be re-derived.`);
        const { verdict, perFamily } = deriveDiagnosis(this.store, diagnosis, (runId) => this.#runDetail(runId));
        this.store.diagnoses.saveVerdict(diagnosisId, verdict, perFamily);
        return this.#diagnosis(diagnosisId);
      },
    };
    const refresh = options.backgroundRefresh;
    this.#refresher =
      refresh && !(refresh === true && process.env.PSW_BACKGROUND_REFRESH === '0')
        ? startBackgroundRefresh(this.store.discovery, {
            ...(refresh === true ? {} : refresh),
            sourcesFor: () => this.#lsSources(undefined),
            onResult: ({ finishedAt, records, sources }) => this.#emit({ type: 'hosts.refreshed', finishedAt, records, failed: sources.filter((s) => !s.ok).length }),
          })
        : null;
  }

  static open(options: WorkbenchOptions): Workbench {
    return new Workbench(options);
  }

  subscribe(listener: Listener): () => void {
    return this.#events.subscribe(listener);
  }

  /** The single entry point of every adapter: validate, call, wrap. Never throws. */
  async invoke<C extends Channel>(channel: C, rawInput: unknown): Promise<Result<Out<C>>> {
    if (!isChannel(channel)) return { ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown channel.' } };
    if (this.#closing) return { ok: false, error: { code: 'CANCELLED', message: 'The workbench is shutting down.' } };
    const spec = contract[channel];
    const parsed = spec.input.safeParse(rawInput);
    if (!parsed.success) return { ok: false, error: { code: 'INVALID_INPUT', message: formatIssues(parsed.error) } };
    try {
      const handler = this.#handlers[channel] as (input: unknown) => Promise<Out<C>>;
      const value = await handler(parsed.data);
      if (this.#validateOutputs) {
        const checked = spec.output.safeParse(value);
        if (!checked.success) throw new WorkbenchError('INTERNAL', formatIssues(checked.error, `The output of ${channel} breaks the contract`));
      }
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  }

  /** Typed convenience for in-process callers (the CLI): throws the contract error. */
  async call<C extends Channel>(channel: C, input: In<C>): Promise<Out<C>> {
    const result = await this.invoke(channel, input);
    if (!result.ok) throw new WorkbenchError(result.error.code, result.error.message);
    return result.value;
  }

  /** Resolves when the run reaches a final status. */
  waitForRun(runId: number): Promise<RunSummary> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const run = this.store.runs.get(runId);
        if (!run) {
          unsubscribe();
          reject(new WorkbenchError('NOT_FOUND', `There is no run ${runId}.`));
        } else if (FINAL_STATUSES.includes(run.status)) {
          unsubscribe();
          resolve(run);
        }
      };
      const unsubscribe = this.#events.subscribe((event) => {
        if (event.type === 'run.finished' && event.runId === runId) check();
      });
      check();
    });
  }

  get activeRunIds(): number[] {
    return [...this.#jobs.runningIds, ...this.#jobs.queuedIds];
  }

  /** Cancels every job, waits for their processes to exit and their outcomes to be stored. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#discovery.abort();
      await Promise.all([this.#refresher?.stop(), this.#diagnoses.shutdown(), this.#jobs.shutdown()]);
      this.store.close();
    })();
    return this.#closing;
  }

  /** Lookup Services for a call: the ones given, else the configured ones, else the built-in defaults. */
  #lsSources(given: string[] | undefined): string[] | undefined {
    if (given?.length) return given;
    const configured = this.store.settings.get().lsSources;
    return configured.length ? configured : undefined;
  }

  #emit(event: WorkbenchEvent): void {
    if (this.#validateOutputs) {
      const checked = WorkbenchEvent.safeParse(event);
      if (!checked.success) throw new WorkbenchError('INTERNAL', formatIssues(checked.error, `The ${String(event.type)} event breaks the contract`));
    }
    this.#events.emit(event);
  }

  #diagnosis(diagnosisId: number) {
    const diagnosis = this.store.diagnoses.get(diagnosisId);
    if (!diagnosis) throw new WorkbenchError('NOT_FOUND', `There is no diagnosis ${diagnosisId}.`);
    return diagnosis;
  }

  #runDetail(runId: number): RunDetail {
    const run = this.store.runs.get(runId);
    if (!run) throw new WorkbenchError('NOT_FOUND', `There is no run ${runId}.`);
    return { ...run, raw: this.store.runs.output(runId), data: methodFor(run.kind).data(this.store, runId) };
  }

  #startRun<K extends StartRunRequest['kind']>(request: RequestOf<K>): number {
    const method = methodFor<K>(request.kind as K);
    const { target } = request;
    const family = method.family(request);
    const runId = this.store.runs.create({
      kind: request.kind,
      host: target.host,
      port: target.port,
      family,
      options: request.options,
      now: Date.now(),
    });
    const attempts = 1 + method.busyRetries(request);
    const baseDelayMs = this.#options.busyRetryBaseMs ?? 2000;
    let attempt = 0;
    this.#jobs.submit({
      id: runId,
      locks: method.locks(request),
      timeoutMs: method.timeoutMs(request),
      cancelledWhileQueued: (aborted) => {
        const { status, error } = aborted ? abortOutcome(aborted) : { status: 'cancelled' as const, error: { code: 'CANCELLED' as const, message: 'Cancelled before it started.' } };
        this.store.runs.finish(runId, { status, error, summary: null, stdout: '', stderr: '', now: Date.now() });
        this.#emit({ type: 'run.finished', runId, status, error });
      },
      run: async (signal) => {
        const ctx: MethodContext<RequestOf<K>['options']> = {
          runId,
          targetId: this.store.runs.targetIdOf(runId) ?? 0,
          store: this.store,
          host: target.host,
          port: target.port,
          options: request.options as RequestOf<K>['options'],
          signal,
          tools: this.tools,
          onStarted: ({ tool, toolVersion, command }) => {
            this.store.runs.markStarted(runId, tool, toolVersion, command, Date.now());
            this.#emit({ type: 'run.started', runId, kind: request.kind, tool, toolVersion });
          },
          onProgress: (progress) => this.#emit({ type: 'run.progress', runId, ...progress }),
          onToolProcess: (pid) => this.store.runs.markToolProcess(runId, pid),
        };
        let outcome: MethodOutcome;
        attempt += 1;
        try {
          outcome = await method.run(ctx);
        } catch (error) {
          outcome = { status: 'failed', error: toErrorInfo(error), stdout: '', stderr: '', summary: null, writeSamples: () => {} };
        }
        if (outcome.error?.code === 'SERVER_BUSY' && attempt < attempts) {
          // perfSONAR servers take one test at a time: wait, with jitter so clients do not collide again.
          const retryAfterMs = Math.round(baseDelayMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.5));
          this.#emit({ type: 'run.progress', runId, elapsed: 0, fraction: null, interval: null, note: `server busy; retrying in ${(retryAfterMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${attempts})` });
          return { retryAfterMs };
        }
        if (outcome.error?.code === 'SERVER_BUSY' && attempt > 1) outcome = { ...outcome, error: { ...outcome.error, message: `${outcome.error.message} Tried ${attempt} times.` } };
        this.#store(runId, outcome);
      },
    });
    this.#emit({ type: 'run.queued', runId, kind: request.kind });
    return runId;
  }

  #store(runId: number, outcome: MethodOutcome): void {
    let stored = outcome;
    try {
      this.store.runs.finish(runId, { ...outcome, now: Date.now() }, () => outcome.writeSamples(this.store, runId));
    } catch (error) {
      // Samples that cannot be stored must not cost the run itself: keep it, with the reason.
      stored = { ...outcome, status: 'failed', error: { code: 'INTERNAL', message: `Storing the results failed: ${toErrorInfo(error).message}` } };
      this.store.runs.finish(runId, { ...stored, now: Date.now() });
    }
    this.#emit({ type: 'run.finished', runId, status: stored.status, error: stored.error });
  }
}
