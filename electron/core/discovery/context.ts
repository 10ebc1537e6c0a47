import { WorkbenchError } from '../../shared/errors.ts';
import type { DropCounter } from './drops.ts';
import type { ByteBudget } from './http.ts';

/*
 * Bounds on what all the Lookup Services of one query may send together: up to 16 are asked in
 * parallel, so per-source limits alone multiply. The global LS serves about 20,000 records (~30 MB).
 */
export const MAX_QUERY_BYTES = 96 * 1024 * 1024;
export const MAX_QUERY_RECORDS = 200_000;

/** Shared by every source of one query. */
export interface QueryBudget extends ByteBudget {
  recordsLeft: number;
}

export function queryBudget(bytes = MAX_QUERY_BYTES, records = MAX_QUERY_RECORDS): QueryBudget {
  return { bytes, bytesLeft: bytes, recordsLeft: records };
}

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
  /** What is left for the whole query (all sources). */
  budget: QueryBudget;
  /** Elasticsearch page size (tests make it small). */
  esPageSize?: number;
}

export const MAX_RECORDS_PER_SOURCE = 100_000;

export function countRecords(ctx: FetchContext, added: number, url: string): void {
  ctx.counted.records += added;
  ctx.budget.recordsLeft -= added;
  if (ctx.counted.records > MAX_RECORDS_PER_SOURCE) {
    throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: more than ${MAX_RECORDS_PER_SOURCE} records; giving up on this source.`);
  }
  if (ctx.budget.recordsLeft < 0) {
    throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: the Lookup Services of this query sent more than ${MAX_QUERY_RECORDS} records in all; giving up on this source.`);
  }
}
