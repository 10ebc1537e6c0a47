import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DropCounter } from '../electron/core/discovery/drops.ts';
import { joinHosts } from '../electron/core/discovery/join.ts';
import { searchHosts } from '../electron/core/discovery/discover.ts';
import { rankHosts } from '../electron/core/discovery/rank.ts';
import { closeDatabase, openDatabase } from '../electron/core/store/database.ts';
import { DiscoveryStore } from '../electron/core/store/discovery.ts';
import { normalizeRecords } from '../electron/core/discovery/records.ts';
import { HostQuery } from '../electron/shared/hosts.ts';
import { generateRecords } from '../test/doubles/lookup-service/generate.ts';

export interface DiscoveryBenchResult {
  name: 'discovery.parse-join-rank';
  records: number;
  responseBytes: number;
  hosts: number;
  matched: number;
  iterations: number;
  /** parse + normalize + join + rank, one full pass, ms. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median of each stage, ms. */
  stages: { parseMs: number; normalizeMs: number; joinMs: number; rankMs: number };
  targetMs: number;
  withinTarget: boolean;
  /** The SQLite cache with the same records: one snapshot write, one read, one offline search (cache → join → rank). */
  cache: { saveMs: number; loadMs: number; offlineSearchMs: number };
}

/**
 * A full collection between iterations, so each one starts from a clean heap as a one-shot search
 * does (otherwise the previous iteration's 18 MB of parsed JSON is collected inside the next one).
 */
function collector(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    // no way to force a collection: measure without
  }
  return () => {};
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The discovery hot path on a global-LS-sized answer: 20,000 records as one JSON body (what the v1
 * records API returns), parsed, validated, joined into hosts, then filtered and ranked by distance
 * (owamp hosts near Geneva, top 200).
 */
export async function benchDiscovery(options: { records?: number; iterations?: number } = {}): Promise<DiscoveryBenchResult> {
  const records = options.records ?? 20_000;
  const iterations = options.iterations ?? 7;
  const now = Date.now();
  const body = JSON.stringify(generateRecords({ records, now }));
  const query = HostQuery.parse({ serviceTypes: ['owamp'], near: { latitude: 46.2044, longitude: 6.1432 }, limit: 200 });
  const totals: number[] = [];
  const stages = { parseMs: [] as number[], normalizeMs: [] as number[], joinMs: [] as number[], rankMs: [] as number[] };
  let hosts = 0;
  let matched = 0;
  const collect = collector();
  for (let i = 0; i < iterations + 1; i += 1) {
    collect();
    const t0 = performance.now();
    const raw = JSON.parse(body) as unknown[];
    const t1 = performance.now();
    const normalized = normalizeRecords(raw, now, new DropCounter());
    const t2 = performance.now();
    const joined = joinHosts(normalized.map((record) => ({ record, source: 'http://ls.example.net/lookup/_search', fetchedAt: now })), now);
    const t3 = performance.now();
    const ranked = rankHosts(joined.hosts, query);
    const t4 = performance.now();
    if (i === 0) continue; // warm-up
    hosts = joined.hosts.length;
    matched = ranked.total;
    totals.push(t4 - t0);
    stages.parseMs.push(t1 - t0);
    stages.normalizeMs.push(t2 - t1);
    stages.joinMs.push(t3 - t2);
    stages.rankMs.push(t4 - t3);
  }
  const medianMs = round(median(totals));
  const cache = await benchCache(JSON.parse(body) as unknown[], now, query);
  return {
    name: 'discovery.parse-join-rank',
    records,
    responseBytes: Buffer.byteLength(body),
    hosts,
    matched,
    iterations,
    medianMs,
    minMs: round(Math.min(...totals)),
    maxMs: round(Math.max(...totals)),
    stages: {
      parseMs: round(median(stages.parseMs)),
      normalizeMs: round(median(stages.normalizeMs)),
      joinMs: round(median(stages.joinMs)),
      rankMs: round(median(stages.rankMs)),
    },
    targetMs: 300,
    withinTarget: medianMs < 300,
    cache,
  };
}

async function benchCache(raw: unknown[], now: number, query: HostQuery): Promise<DiscoveryBenchResult['cache']> {
  const dir = mkdtempSync(join(tmpdir(), 'psw-bench-discovery-'));
  const db = openDatabase(join(dir, 'discovery.sqlite'));
  try {
    const store = new DiscoveryStore(db);
    const records = normalizeRecords(raw, now, new DropCounter());
    const source = 'http://ls.example.net/lookup/_search';
    const t0 = performance.now();
    store.save(source, 'search', records, now, ['service', 'host', 'interface']);
    const t1 = performance.now();
    store.load();
    const t2 = performance.now();
    await searchHosts(query, { cache: store, mode: 'cache', sources: [source], now: () => now });
    const t3 = performance.now();
    return { saveMs: round(t1 - t0), loadMs: round(t2 - t1), offlineSearchMs: round(t3 - t2) };
  } finally {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await benchDiscovery(), null, 2)}\n`);
}
