import { searchHosts } from '../../electron/core/discovery/index.ts';

/* Run under a small V8 heap by discovery-memory.test.ts: one search against the URLs given, the per-source outcome on stdout. */

const result = await searchHosts({}, { sources: process.argv.slice(2), budgetMs: 60_000 });
process.stdout.write(`${JSON.stringify(result.sources.map(({ url, ok, error }) => ({ url, ok, error })))}\n`);
