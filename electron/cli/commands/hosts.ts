import type { Workbench } from '../../core/workbench.ts';
import { WorkbenchError, type Result } from '../../shared/errors.ts';
import type { HostSearchResult, HostView, SourceReport } from '../../shared/hosts.ts';
import { intOption, parse } from '../args.ts';
import { EXIT, safeText, UsageError, type CliIO } from '../io.ts';

export const HOSTS_HELP = `Usage: psw hosts [--type T]... [--community C] [--country CC] [--site S] [--text WORDS]
                 [--near LAT,LON] [--max-km N] [--sort auto|distance|name|reachability|freshness]
                 [--limit N] [--probe] [--ls URL]... [--offline] [--include-expired] [--budget MS] [--json]
       psw hosts --hops IP,IP,...        perfSONAR hosts on a traceroute's hops
       psw hosts --refresh               fetch every record into the local cache
       psw hosts --cache-status          what the cache holds and how old it is

Finds perfSONAR hosts through the Lookup Service (records API or Elasticsearch _search; --ls
takes an activehosts.json list, a records URL or a _search URL). Without --near, "near me" uses
the location saved in settings. --offline answers from the local cache only; cached records
whose registration has lapsed are left out (and counted) unless --include-expired.
`;

function age(ms: number | null): string {
  if (ms === null) return 'unknown age';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 2) return 'just now';
  if (minutes < 120) return `${minutes} min old`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h old` : `${Math.round(hours / 24)} days old`;
}

function parseNear(text: string): { latitude: number; longitude: number } {
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) throw new UsageError('--near takes LAT,LON in degrees, e.g. 41.88,-87.63.');
  return { latitude: Number(m[1]), longitude: Number(m[2]) };
}

function printSources(sources: SourceReport[], io: CliIO): void {
  for (const s of sources) {
    const state = s.ok ? `${s.records} records${s.fromCache ? ' (from cache)' : ''}` : `FAILED: ${safeText(s.error?.message ?? 'unknown error')}`;
    const dropped = Object.entries(s.dropped).filter(([, n]) => n > 0);
    io.err(`  ${s.kind.padEnd(9)} ${safeText(s.url)}: ${state}${dropped.length ? `, dropped ${dropped.map(([r, n]) => `${n} ${r}`).join(', ')}` : ''}\n`);
  }
}

function cancelled(io: CliIO): number {
  io.err('psw: cancelled.\n');
  return EXIT.cancelled;
}

function hostLine(h: HostView): string {
  const where = [h.location.city, h.location.country].filter(Boolean).join(', ');
  const services = h.services.map((s) => s.type).join(' ');
  const distance = h.distanceKm !== null && h.distanceKm !== undefined ? `${Math.round(h.distanceKm)} km` : '';
  return `${safeText(h.target).padEnd(40)} ${safeText(where).padEnd(26)} ${distance.padStart(8)}  ${safeText(services)}`;
}

const STOPPED = Symbol('stopped');

/** The call's answer, or STOPPED as soon as `stop` fires (closing the workbench then cancels the call). */
function untilStopped<T>(work: Promise<T>, stop: AbortSignal): Promise<T | typeof STOPPED> {
  if (stop.aborted) return Promise.resolve(STOPPED);
  return new Promise((resolve, reject) => {
    const onStop = () => resolve(STOPPED);
    stop.addEventListener('abort', onStop, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener('abort', onStop));
  });
}

/** Invalid input is the user's to fix (exit 2); anything else (database, internal) is a failure (exit 1). */
function valueOf<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  if (result.error.code === 'INVALID_INPUT') throw new UsageError(result.error.message);
  throw new WorkbenchError(result.error.code, result.error.message);
}

export async function hostsCommand(workbench: Workbench, argv: string[], io: CliIO, stop: AbortSignal = new AbortController().signal): Promise<number> {
  const { values, positionals } = parse(argv, {
    type: { type: 'string', multiple: true },
    community: { type: 'string' },
    country: { type: 'string' },
    site: { type: 'string' },
    text: { type: 'string' },
    near: { type: 'string' },
    'max-km': { type: 'string' },
    sort: { type: 'string' },
    limit: { type: 'string' },
    probe: { type: 'boolean', default: false },
    ls: { type: 'string', multiple: true },
    offline: { type: 'boolean', default: false },
    'include-expired': { type: 'boolean', default: false },
    budget: { type: 'string' },
    hops: { type: 'string' },
    refresh: { type: 'boolean', default: false },
    'cache-status': { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  const fetch: Record<string, unknown> = { mode: values.offline ? 'cache' : 'live' };
  if (values.ls?.length) fetch.sources = values.ls;
  if (values.budget !== undefined) fetch.budgetMs = intOption(values.budget, 'budget', 200, 120_000);

  if (values['cache-status']) {
    const status = await workbench.call('hosts.cacheStatus', {});
    if (values.json) io.out(`${JSON.stringify(status, null, 2)}\n`);
    else io.out(`${status.records} cached records, ${age(status.ageMs)}\n${status.sources.map((s) => `  ${safeText(s.url)}: ${s.records} records${s.lastError ? `, last error: ${safeText(s.lastError.message)}` : ''}`).join('\n')}\n`);
    return EXIT.ok;
  }
  if (values.refresh) {
    const report = await untilStopped(workbench.call('hosts.refresh', values.ls?.length ? { sources: values.ls } : {}), stop);
    if (report === STOPPED) return cancelled(io);
    if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.out(`Cached ${report.records} records (${report.pruned} expired pruned).\n`);
      printSources(report.sources, io);
    }
    return report.sources.some((s) => s.ok && !s.fromCache) ? EXIT.ok : EXIT.failed;
  }

  let answer: Pick<HostSearchResult, 'hosts' | 'sources' | 'fromCache' | 'ageMs' | 'partial' | 'dropped'> & { hops?: Array<{ ip: string; hostIds: string[] }> };
  if (values.hops !== undefined) {
    const ips = values.hops.split(',').map((s) => s.trim()).filter(Boolean);
    const result = await untilStopped(workbench.invoke('hosts.forHops', { ips, ...fetch }), stop);
    if (result === STOPPED) return cancelled(io);
    answer = valueOf(result);
  } else {
    const query: Record<string, unknown> = { ...fetch, probe: values.probe, includeExpired: values['include-expired'] };
    if (values.type?.length) query.serviceTypes = values.type;
    for (const key of ['community', 'country', 'site', 'text'] as const) if (values[key] !== undefined) query[key] = values[key];
    const near = values.near !== undefined ? parseNear(values.near) : (await workbench.call('settings.get', {})).location;
    if (near) query.near = { latitude: near.latitude, longitude: near.longitude };
    if (values['max-km'] !== undefined) query.maxDistanceKm = intOption(values['max-km'], 'max-km', 1, 25_000);
    if (values.sort !== undefined) query.sort = values.sort;
    if (values.limit !== undefined) query.limit = intOption(values.limit, 'limit', 1, 5000);
    const result = await untilStopped(workbench.invoke('hosts.search', query), stop);
    if (result === STOPPED) return cancelled(io);
    answer = valueOf(result);
  }

  const allFailed = answer.sources.length > 0 && answer.sources.every((s) => !s.ok) && answer.hosts.length === 0;
  if (values.json) io.out(`${JSON.stringify(answer, null, 2)}\n`);
  else {
    if (answer.hops) for (const hop of answer.hops) io.out(`${safeText(hop.ip).padEnd(40)} ${hop.hostIds.length ? hop.hostIds.map((id) => safeText(answer.hosts.find((h) => h.id === id)?.target ?? id)).join(', ') : '—'}\n`);
    else for (const h of answer.hosts) io.out(`${hostLine(h)}\n`);
    io.err(`${answer.hosts.length} host(s)${answer.fromCache ? `, from the local cache (${age(answer.ageMs)})` : ''}.\n`);
    const lapsed = answer.dropped.expired ?? 0;
    if (lapsed > 0) io.err(`${lapsed} cached record(s) whose registration has lapsed left out${values.hops === undefined ? ' (--include-expired shows them)' : ''}.\n`);
    if (answer.partial) io.err('Partial answer: the cache holds only earlier targeted searches for some Lookup Service; run psw hosts --refresh for a complete one.\n');
    printSources(answer.sources, io);
  }
  return allFailed ? EXIT.failed : EXIT.ok;
}
