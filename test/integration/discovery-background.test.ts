import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../electron/core/store/database.ts';
import { DiscoveryStore } from '../../electron/core/store/discovery.ts';
import { Workbench } from '../../electron/core/workbench.ts';
import type { WorkbenchEvent } from '../../electron/shared/events.ts';
import { linkedReferenceSet } from '../doubles/lookup-service/fixtures.ts';
import { generateRecords } from '../doubles/lookup-service/generate.ts';
import { startLookupServiceDouble, type LookupServiceDouble } from '../doubles/lookup-service/server.ts';
import { startPswServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/tmp.ts';

/* The long-lived adapters keep the discovery cache fresh on their own; one-shot commands do not. */

const T0 = Date.now();
const RECORDS = 606;
let ls: LookupServiceDouble;
let dir: ReturnType<typeof tempDir>;

beforeEach(async () => {
  ls = await startLookupServiceDouble({ records: [...linkedReferenceSet(T0), ...generateRecords({ records: 600, now: T0, seed: 5, expiredShare: 0 })] });
  dir = tempDir();
});
afterEach(async () => {
  await ls.close();
  dir.remove();
});

/** A database whose settings name the double as the only Lookup Service. */
async function databaseUsingDouble(): Promise<string> {
  const dbPath = dir.file('workbench.sqlite');
  const setup = Workbench.open({ dbPath, adapter: 'cli' });
  await setup.call('settings.update', { lsSources: [ls.searchUrl] });
  await setup.close();
  return dbPath;
}

function cachedRecords(dbPath: string): number {
  const db = openDatabase(dbPath);
  try {
    return new DiscoveryStore(db).sources().reduce((n, s) => n + s.records, 0);
  } finally {
    closeDatabase(db);
  }
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('background refresh of the discovery cache', () => {
  it('fills the cache of a long-lived workbench without any call, says so with an event, and stops on close', async () => {
    const dbPath = await databaseUsingDouble();
    const before = timeouts();
    const workbench = Workbench.open({ dbPath, adapter: 'serve', backgroundRefresh: { intervalMs: 10 } });
    const events: WorkbenchEvent[] = [];
    const refreshed = new Promise<void>((resolve) => workbench.subscribe((e) => (events.push(e), e.type === 'hosts.refreshed' && resolve())));
    await refreshed;
    expect(events.find((e) => e.type === 'hosts.refreshed')).toMatchObject({ records: RECORDS, failed: 0 });
    const status = await workbench.call('hosts.cacheStatus', {});
    expect(status.records).toBe(RECORDS);
    expect(ls.requests.every((r) => r.route === 'search')).toBe(true);

    // close() cancels a refresh hanging on the Lookup Service (the client gives the request up) and leaves nothing scheduled.
    ls.misbehave('all', { kind: 'hang' });
    while (ls.pending() === 0) await new Promise((r) => setTimeout(r, 5));
    await workbench.close();
    const deadline = Date.now() + 5000;
    while (ls.pending() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(ls.pending()).toBe(0);
    expect(timeouts()).toBeLessThanOrEqual(before);
  });

  it('is off for one-shot workbenches (the CLI) and when PSW_BACKGROUND_REFRESH=0', async () => {
    const dbPath = await databaseUsingDouble();
    expect(process.env.PSW_BACKGROUND_REFRESH).toBe('0');
    for (const backgroundRefresh of [undefined, false, true]) {
      const workbench = Workbench.open({ dbPath, adapter: 'cli', backgroundRefresh });
      // Anything scheduled at 0 ms would have run (and asked the double) by the time this call answers.
      await new Promise((r) => setTimeout(r, 20));
      await workbench.call('hosts.cacheStatus', {});
      await workbench.close();
    }
    expect(ls.requests).toEqual([]);
  });

  it('psw serve fills the cache on its own', async () => {
    const dbPath = await databaseUsingDouble();
    process.env.PSW_BACKGROUND_REFRESH = '1';
    let serve: Awaited<ReturnType<typeof startPswServe>>;
    try {
      serve = await startPswServe(dbPath);
    } finally {
      process.env.PSW_BACKGROUND_REFRESH = '0';
    }
    try {
      const deadline = Date.now() + 30_000;
      while (cachedRecords(dbPath) < RECORDS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(cachedRecords(dbPath)).toBe(RECORDS);
    } finally {
      await serve.stop();
    }
    expect((await serve.child).exitCode).toBe(0);
  });
});
