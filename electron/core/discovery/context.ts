import { WorkbenchError } from '../../shared/errors.ts';
import type { DropCounter } from './drops.ts';

/** What every request to one Lookup Service shares within one search. */
export interface FetchContext {
  /** Carries the time budget and the caller's cancel. */
  signal: AbortSignal;
  now: number;
  maxBytes: number;
  /** Refused records, by reason, for this source's report. */
  drops: DropCounter;
  /** Raw records received from this source so far, to bound a runaway server. */
  counted: { records: number };
  /** Elasticsearch page size (tests make it small). */
  esPageSize?: number;
}

export const MAX_RECORDS_PER_SOURCE = 500_000;

export function countRecords(ctx: FetchContext, added: number, url: string): void {
  ctx.counted.records += added;
  if (ctx.counted.records > MAX_RECORDS_PER_SOURCE) {
    throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: more than ${MAX_RECORDS_PER_SOURCE} records; giving up on this source.`);
  }
}
