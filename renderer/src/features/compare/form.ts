import { hasSeries, metricsFor, type CompareInput, type Metric } from '../../../../electron/shared/compare.ts';
import type { RunKind } from '../../../../electron/shared/runs.ts';

/* The compare form and its request: no DOM, no transport, so `psw compare` tests can build the UI's exact request. */

export type CompareMode = 'runs' | 'timeline' | 'before-after' | 'families' | 'tags';

/** How a result is drawn: its own chart (lines overlaid, or boxes), lines side by side (one grid per series), or a histogram in shared bins. */
export type CompareChartType = 'chart' | 'side-by-side' | 'histogram';

export interface CompareForm {
  mode: CompareMode;
  /** The run kind whose metrics are offered (and read, for timelines and groups). */
  kind: RunKind;
  metric: Metric;
  chart: CompareChartType;
  runIds: string;
  hosts: string;
  at: string;
  tags: string;
  since: string;
}

export const initialCompareForm: CompareForm = { mode: 'timeline', kind: 'throughput', metric: 'throughput', chart: 'chart', runIds: '', hosts: '', at: '', tags: '', since: '' };

/** The metrics the form offers: the kind's, and for run vs run only those a run holds a series of. */
export const metricChoices = (f: Pick<CompareForm, 'mode' | 'kind'>): Metric[] => metricsFor(f.kind).filter((m) => f.mode !== 'runs' || hasSeries(m, f.kind));

/** A form patch that keeps the metric one on offer: a new kind (or mode) brings its first metric unless the current one fits. */
export function patchForm(form: CompareForm, patch: Partial<CompareForm>): CompareForm {
  const next = { ...form, ...patch };
  const choices = metricChoices(next);
  if (!choices.includes(next.metric)) next.metric = choices[0] ?? next.metric;
  if (next.chart === 'side-by-side' && next.mode !== 'runs' && next.mode !== 'timeline') next.chart = 'chart';
  return next;
}

const list = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

/**
 * Form → contract input for compare.series; throws a readable message on incomplete forms. No
 * maxPoints: the contract's default applies, as for `psw compare`, so both draw the same series.
 */
export function toCompareInput(f: CompareForm): CompareInput {
  const since = f.since ? Date.parse(f.since) : Number.NaN;
  const range = Number.isFinite(since) ? { from: since } : {};
  switch (f.mode) {
    case 'runs': {
      const runIds = list(f.runIds).map(Number);
      if (!runIds.length || runIds.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('List run ids, e.g. 12 15 18.');
      return { view: 'runs', metric: f.metric, runIds };
    }
    case 'timeline': {
      const hosts = list(f.hosts);
      if (!hosts.length) throw new Error('Name at least one host.');
      return { view: 'timeline', kind: f.kind, metric: f.metric, hosts, ...range };
    }
    case 'before-after': {
      const [host] = list(f.hosts);
      const at = Date.parse(f.at);
      if (!host || !Number.isFinite(at)) throw new Error('Name a host and the time of the change.');
      return { view: 'groups', kind: f.kind, metric: f.metric, groups: [{ label: 'before', host, to: at, ...range }, { label: 'after', host, from: at }] };
    }
    case 'families': {
      const [host] = list(f.hosts);
      if (!host) throw new Error('Name a host.');
      return { view: 'groups', kind: f.kind, metric: f.metric, groups: [{ label: 'IPv4', host, family: '4', ...range }, { label: 'IPv6', host, family: '6', ...range }] };
    }
    case 'tags': {
      const tags = list(f.tags);
      if (tags.length < 1) throw new Error('List the tags to compare.');
      return { view: 'groups', kind: f.kind, metric: f.metric, groups: tags.map((tag) => ({ label: tag, tag })) };
    }
  }
}
