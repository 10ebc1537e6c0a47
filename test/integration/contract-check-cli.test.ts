import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/core/store/index.ts';
import { psw, PSW_BIN } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const db = dir.file('drift.sqlite');
afterAll(() => dir.remove());

// A summary the contract does not allow (most fields missing), as a drifted writer would store it.
const store = new Store(db);
const runId = store.runs.create({ kind: 'throughput', host: 'ps.example.net', port: null, family: 'any', options: {}, now: 1_700_000_000_000 });
store.runs.finish(runId, { status: 'succeeded', error: null, summary: { protocol: 'tcp', sentBitsPerSecond: 1e9 }, stdout: '{}', stderr: '', now: 1_700_000_010_000 });
store.close();

describe('contract checks in the psw command', () => {
  it('with PSW_VALIDATE_OUTPUTS=1 (as the tests run it) an output that breaks the contract fails loudly', async () => {
    const result = await psw(['runs', 'list', '--json', '--db', db]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/^psw: The output of runs\.list breaks the contract: 0\.throughput\.reverse: /);
  });

  it('without it, users still get their runs', async () => {
    const result = await execa(process.execPath, [PSW_BIN, 'runs', 'list', '--json', '--db', db], { reject: false, stdin: 'ignore', env: { PSW_VALIDATE_OUTPUTS: '0' } });
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(String(result.stdout)) as Array<{ id: number }>).map((r) => r.id)).toEqual([runId]);
  });
});
