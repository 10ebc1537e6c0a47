import { parseArgs } from 'node:util';
import { linkedReferenceSet } from './fixtures.ts';
import { generateRecords } from './generate.ts';
import { hostileCases } from './hostile.ts';
import { startLookupServiceDouble } from './server.ts';

/*
 * Runs the Lookup Service double by hand, e.g. to point `psw hosts --ls URL` at it:
 *   node test/doubles/lookup-service/cli.ts [--records 20000] [--seed 42] [--hostile]
 * Prints its URLs, serves on 127.0.0.1 until interrupted.
 */
const { values } = parseArgs({
  options: { records: { type: 'string', default: '2000' }, seed: { type: 'string', default: '42' }, hostile: { type: 'boolean', default: false } },
});
const now = Date.now();
const records: unknown[] = [...linkedReferenceSet(now), ...generateRecords({ records: Number(values.records), seed: Number(values.seed), now })];
if (values.hostile) records.push(...hostileCases(now).map((c) => c.record));
const double = await startLookupServiceDouble({ records });
process.stdout.write(
  `Lookup Service double with ${records.length} records\n  records API:  ${double.recordsUrl}\n  _search:      ${double.searchUrl}\n  bootstrap:    ${double.activeHostsUrl}\n`,
);
const stop = () => void double.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
