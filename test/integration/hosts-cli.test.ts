import Database from 'better-sqlite3';
import { execa } from 'execa';
import { openSync, writeSync, closeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostSearchResult, HostsForHopsResult } from '../../electron/shared/hosts.ts';
import { startLookupServiceDouble, type LookupServiceDouble } from '../doubles/lookup-service/server.ts';
import { linkedReferenceSet } from '../doubles/lookup-service/fixtures.ts';
import { hostileCases } from '../doubles/lookup-service/hostile.ts';
import { generateRecords } from '../doubles/lookup-service/generate.ts';
import { psw, PSW_BIN } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const db = dir.file('hosts.sqlite');
let ls: LookupServiceDouble;

beforeAll(async () => {
  const now = Date.now();
  ls = await startLookupServiceDouble({ records: [...linkedReferenceSet(now), ...generateRecords({ records: 400, now }), ...hostileCases(now).map((c) => c.record)] });
});
afterAll(async () => {
  await ls?.close();
  dir.remove();
});

describe('psw hosts against a Lookup Service double', () => {
  it('--type owamp --json returns joined hosts with services and locations, both query forms agree', async () => {
    const viaSearch = await psw(['hosts', '--type', 'owamp', '--ls', ls.searchUrl, '--json', '--db', db]);
    expect(viaSearch.exitCode).toBe(0);
    const search = JSON.parse(viaSearch.stdout) as HostSearchResult;
    expect(search.hosts.length).toBeGreaterThan(5);
    expect(search.hosts.every((h) => h.services.some((s) => s.type.toLowerCase() === 'owamp'))).toBe(true);
    const bc = search.hosts.find((h) => h.names.includes('pfs1-lat.srry1.bc.net'));
    expect(bc?.location.city).toBe('Surrey');
    expect(bc?.services.find((s) => s.type === 'owamp')?.locators[0]?.port).toBe(861);
    expect(search.hosts.every((h) => !h.target.startsWith('-'))).toBe(true);
    expect(search.fromCache).toBe(false);

    const viaRecords = await psw(['hosts', '--type', 'owamp', '--ls', ls.recordsUrl, '--json', '--db', dir.file('other.sqlite')]);
    const records = JSON.parse(viaRecords.stdout) as HostSearchResult;
    expect(new Set(records.hosts.map((h) => h.id))).toEqual(new Set(search.hosts.map((h) => h.id)));
  });

  it('counts and reports dropped hostile records instead of crashing', async () => {
    const result = await psw(['hosts', '--ls', ls.searchUrl, '--json', '--db', db]);
    const answer = JSON.parse(result.stdout) as HostSearchResult;
    const dropped = answer.sources.reduce((n, s) => n + Object.values(s.dropped).reduce((a, b) => a + b, 0), 0) + Object.values(answer.dropped).reduce((a, b) => a + b, 0);
    expect(dropped).toBeGreaterThan(0);
    expect(JSON.stringify(answer.hosts)).not.toMatch(/[\u0000-\u001f]/);
  });

  it('finds hosts on traceroute hops', async () => {
    const result = await psw(['hosts', '--hops', '10.1.1.1,198.19.10.1', '--ls', ls.searchUrl, '--json', '--db', db]);
    const answer = JSON.parse(result.stdout) as HostsForHopsResult;
    expect(answer.hops.find((h) => h.ip === '198.19.10.1')?.hostIds).toHaveLength(1);
    expect(answer.hops.find((h) => h.ip === '10.1.1.1')?.hostIds).toEqual([]);
  });

  it('with the Lookup Service gone, answers from the cache and says how old the data is', async () => {
    const url = ls.searchUrl;
    await ls.close();
    const offline = await psw(['hosts', '--type', 'owamp', '--ls', url, '--budget', '2000', '--db', db]);
    expect(offline.exitCode).toBe(0);
    expect(offline.stdout).toMatch(/pfs1-lat\.srry1\.bc\.net/);
    expect(offline.stderr).toMatch(/from the local cache \((just now|\d+ min old)\)/);
    expect(offline.stderr).toMatch(/FAILED/);
    const json = JSON.parse((await psw(['hosts', '--type', 'owamp', '--ls', url, '--offline', '--json', '--db', db])).stdout) as HostSearchResult;
    expect(json.fromCache).toBe(true);
    expect(json.ageMs).toBeGreaterThanOrEqual(0);
    expect(json.hosts.length).toBeGreaterThan(5);
  });

  it('--offline leaves out cached records whose registration has lapsed, and says so; --include-expired keeps them', async () => {
    const expired = dir.file('expired.sqlite');
    const conn = new Database(db, { readonly: true });
    await conn.backup(expired);
    conn.close();
    const lapse = new Database(expired);
    lapse.prepare('UPDATE ls_records SET expires_at = 1').run();
    lapse.close();
    const hidden = await psw(['hosts', '--offline', '--type', 'owamp', '--json', '--db', expired]);
    expect(hidden.exitCode).toBe(0);
    const answer = JSON.parse(hidden.stdout) as HostSearchResult;
    expect(answer.hosts).toEqual([]);
    expect(answer.dropped.expired).toBeGreaterThan(0);
    const text = await psw(['hosts', '--offline', '--type', 'owamp', '--db', expired]);
    expect(text.stderr).toMatch(/\d+ cached record\(s\) whose registration has lapsed left out \(--include-expired shows them\)/);
    const shown = JSON.parse((await psw(['hosts', '--offline', '--type', 'owamp', '--include-expired', '--json', '--db', expired])).stdout) as HostSearchResult;
    expect(shown.hosts.length).toBeGreaterThan(5);
    expect(shown.hosts.every((h) => h.freshness.expired)).toBe(true);
  });

  it('refuses hostile options', async () => {
    expect((await psw(['hosts', '--ls', 'file:///etc/passwd', '--db', db])).exitCode).toBe(2);
    expect((await psw(['hosts', '--near', 'here', '--db', db])).exitCode).toBe(2);
    expect((await psw(['hosts', '--hops', '-x', '--db', db])).exitCode).toBe(2);
  });
});

describe('psw hosts: stopping and failing', () => {
  it('stops on the first Ctrl-C while a Lookup Service is slow, exiting 130 and dropping the request', async () => {
    const slow = await startLookupServiceDouble({ records: linkedReferenceSet(Date.now()) });
    try {
      slow.misbehave('all', { kind: 'slow', delayMs: 100_000 });
      const child = execa(process.execPath, [PSW_BIN, 'hosts', '--ls', slow.searchUrl, '--budget', '110000', '--db', dir.file('sigint.sqlite')], { reject: false, stdin: 'ignore' });
      while (slow.pending() === 0) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode).toBe(130);
      expect(String(result.stderr)).toMatch(/cancelled/);
      while (slow.pending() > 0) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await slow.close();
    }
  });

  it('exits 1, not 2, when the database fails under the search (corrupt cache pages)', async () => {
    const live = await startLookupServiceDouble({ records: [...linkedReferenceSet(Date.now()), ...generateRecords({ records: 400, now: Date.now(), seed: 9 })] });
    const path = dir.file('corrupt.sqlite');
    try {
      expect((await psw(['hosts', '--ls', live.searchUrl, '--db', path])).exitCode).toBe(0);
    } finally {
      await live.close();
    }
    const conn = new Database(path);
    conn.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = conn.pragma('page_size', { simple: true }) as number;
    const pages = conn.prepare("SELECT pageno FROM dbstat WHERE name = 'ls_records'").pluck().all() as number[];
    conn.close();
    expect(pages.length).toBeGreaterThan(2);
    const fd = openSync(path, 'r+');
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);

    const result = await psw(['hosts', '--offline', '--ls', live.searchUrl, '--db', path]);
    expect(result.stderr).toMatch(/malformed|corrupt/i);
    expect(result.exitCode).toBe(1);
  });
});
