import type { CompareResult } from './compare.ts';

/** RFC 4180 field quoting; values that a spreadsheet would run as a formula are defused. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(fields: Array<string | number | null>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A comparison as CSV: one row per point (series) or per run (groups), with the run behind it. */
export function compareToCsv(result: CompareResult): string {
  const xName = result.view === 'timeline' ? 'time_iso' : 'seconds';
  let out = '';
  if (result.series.length) {
    out += csvLine(['series', xName, `${result.metric}_${result.unit}`, 'run_id']);
    for (const s of result.series) {
      for (let i = 0; i < s.x.length; i += 1) {
        const x = s.x[i] ?? 0;
        out += csvLine([s.label, result.view === 'timeline' ? new Date(x).toISOString() : x, s.y[i] ?? null, s.runIds[i] ?? null]);
      }
    }
  }
  if (result.groups.length) {
    out += csvLine(['group', `${result.metric}_${result.unit}`, 'run_id']);
    for (const g of result.groups) for (let i = 0; i < g.values.length; i += 1) out += csvLine([g.label, g.values[i] ?? null, g.runIds[i] ?? null]);
  }
  return out;
}

/** JSON with typed arrays as plain arrays (for --json output and files). */
export function toPlainJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as Float64Array) : v), space);
}
