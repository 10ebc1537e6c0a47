import { z } from 'zod';
import type { Channel } from './channels.ts';
import type { Result } from './errors.ts';
import { RunDetail, RunId, RunIds, RunListFilter, RunSummary, StartRunInput, TagRunsInput } from './runs.ts';
import { CompareInput, CompareResult } from './compare.ts';
import { DiagnoseInput, Diagnosis, DiagnosisSummary } from './diagnosis.ts';
import { PathHistoryInput, PathHistoryResult } from './path.ts';
import { DiscoveryCacheStatus, HostSearchInput, HostSearchResult, HostsForHopsInput, HostsForHopsResult, RefreshReport } from './hosts.ts';
import { SelfCheckInput, SelfCheckReport } from './selfcheck.ts';
import { FavouriteInput, Settings, SettingsPatch } from './settings.ts';
import { ToolInfo } from './tools.ts';

export const AppInfo = z.object({
  version: z.string(),
  dbPath: z.string(),
  platform: z.string(),
  adapter: z.enum(['electron', 'cli', 'serve']),
});
export type AppInfo = z.output<typeof AppInfo>;

const Empty = z.strictObject({}).default({});

/** Input and output schema of every channel. Inputs are validated at every boundary. */
export const contract = {
  'app.info': { input: Empty, output: AppInfo },
  'runs.start': { input: StartRunInput, output: z.object({ runId: RunId }) },
  'runs.cancel': { input: z.strictObject({ runId: RunId }), output: z.object({ cancelled: z.boolean() }) },
  'runs.list': { input: RunListFilter.default({ limit: 100 }), output: z.array(RunSummary) },
  'runs.get': { input: z.strictObject({ runId: RunId }), output: RunDetail },
  'runs.delete': { input: z.strictObject({ runIds: RunIds }), output: z.object({ deleted: z.number().int() }) },
  'runs.tag': { input: TagRunsInput, output: z.object({ runIds: z.array(RunId) }) },
  'tools.list': { input: Empty, output: z.array(ToolInfo) },
  'host.selfCheck': { input: SelfCheckInput.default({}), output: SelfCheckReport },
  'compare.series': { input: CompareInput, output: CompareResult },
  'hosts.search': { input: HostSearchInput.default(HostSearchInput.parse({})), output: HostSearchResult },
  'hosts.forHops': { input: HostsForHopsInput, output: HostsForHopsResult },
  'hosts.refresh': { input: z.strictObject({ sources: HostSearchInput.shape.sources }).default({}), output: RefreshReport },
  'hosts.cacheStatus': { input: Empty, output: DiscoveryCacheStatus },
  'hosts.favourites': { input: Empty, output: z.array(z.string()) },
  'hosts.setFavourite': { input: FavouriteInput, output: z.array(z.string()) },
  'settings.get': { input: Empty, output: Settings },
  'settings.update': { input: SettingsPatch, output: Settings },
  'paths.history': { input: PathHistoryInput, output: PathHistoryResult },
  'diagnose.start': { input: DiagnoseInput, output: z.object({ diagnosisId: RunId }) },
  'diagnose.cancel': { input: z.strictObject({ diagnosisId: RunId }), output: z.object({ cancelled: z.boolean() }) },
  'diagnose.get': { input: z.strictObject({ diagnosisId: RunId }), output: Diagnosis },
  'diagnose.list': { input: z.strictObject({ limit: z.number().int().min(1).max(500).default(50), host: z.string().max(254).optional() }).default({ limit: 50 }), output: z.array(DiagnosisSummary) },
  'diagnose.rederive': { input: z.strictObject({ diagnosisId: RunId }), output: Diagnosis },
} satisfies { [C in Channel]: { input: z.ZodType; output: z.ZodType } };

export type In<C extends Channel> = z.input<(typeof contract)[C]['input']>;
export type Parsed<C extends Channel> = z.output<(typeof contract)[C]['input']>;
export type Out<C extends Channel> = z.output<(typeof contract)[C]['output']>;

/** What the core implements: one async handler per channel, taking already-validated input. */
export type Handlers = { [C in Channel]: (input: Parsed<C>) => Promise<Out<C>> };

/** A transport-level call: every adapter reduces to this. */
export type Transport = <C extends Channel>(channel: C, input: In<C>) => Promise<Result<Out<C>>>;

type DomainOf<C extends string> = C extends `${infer D}.${string}` ? D : never;

/** The renderer's view: api.runs.start(input) and so on, one method per channel. */
export type Api = {
  [D in DomainOf<Channel>]: {
    [C in Channel as C extends `${D}.${infer V}` ? V : never]: (input?: In<C>) => Promise<Out<C>>;
  };
};
