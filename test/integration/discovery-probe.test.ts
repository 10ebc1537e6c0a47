import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTime } from '../../electron/core/discovery/probe.ts';
import { searchHosts } from '../../electron/core/discovery/index.ts';
import { iso } from '../doubles/lookup-service/fixtures.ts';
import { startLookupServiceDouble, type LookupServiceDouble } from '../doubles/lookup-service/server.ts';
import { loopbackOnly } from './discovery-helpers.ts';

/* Reachability: real TCP connects, loopback only. */

let listener: Server;
let openPort: number;
let closedPort: number;
let ls: LookupServiceDouble;

async function listen(): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  listener = await listen();
  openPort = (listener.address() as { port: number }).port;
  const closed = await listen();
  closedPort = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const live = iso(Date.now() + 3600_000);
  const host = (n: number, port: number) => [
    { type: ['host'], uri: `lookup/host/p${n}`, expires: live, 'host-name': ['127.0.0.1'], 'client-uuid': [`probe-${n}`] },
    { type: ['service'], uri: `lookup/service/p${n}`, expires: live, 'service-type': ['owamp'], 'service-host': [`lookup/host/p${n}`], 'service-locator': [`tcp://127.0.0.1:${port}`] },
  ];
  ls = await startLookupServiceDouble({ records: [...host(1, closedPort), ...host(2, openPort)] });
});
afterAll(async () => {
  await ls.close();
  await new Promise<void>((resolve) => listener.close(() => resolve()));
});

describe('connectTime', () => {
  it('measures a connect to a listening port', async () => {
    const result = await connectTime('127.0.0.1', openPort, 2000, new AbortController().signal);
    expect(result.error).toBeNull();
    expect(result.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.connectMs).toBeLessThan(1000);
  });

  it('reports a refused connect', async () => {
    expect(await connectTime('127.0.0.1', closedPort, 2000, new AbortController().signal)).toEqual({ host: '127.0.0.1', port: closedPort, connectMs: null, error: 'ECONNREFUSED' });
  });

  it('refuses to dial an invalid host at all', async () => {
    expect(await connectTime('--foo=bar', openPort, 2000, new AbortController().signal)).toMatchObject({ connectMs: null, error: 'refused to dial an invalid host' });
  });
});

describe('searchHosts with probe', () => {
  it('adds connect times to the listed hosts and puts reachable ones first', async () => {
    const result = await searchHosts({ serviceTypes: ['owamp'] }, { sources: [ls.searchUrl], probe: { allow: loopbackOnly, budgetMs: 3000 } });
    expect(result.hosts.map((h) => [h.id, h.reachability?.port, h.reachability?.connectMs === null])).toEqual([
      ['uuid:probe-2', openPort, false],
      ['uuid:probe-1', closedPort, true],
    ]);
    expect(result.hosts[1]?.reachability?.error).toBe('ECONNREFUSED');
  });

  it('probes beyond the limit before ranking: reachable hosts that sort last by name still come first', async () => {
    const live = iso(Date.now() + 3600_000);
    const records = Array.from({ length: 30 }, (_, n) => {
      const name = `h${String(n).padStart(2, '0')}.probe.example.net`;
      const port = n >= 28 ? openPort : closedPort;
      return [
        { type: ['host'], uri: `lookup/host/m${n}`, expires: live, 'host-name': [name], 'client-uuid': [`many-${n}`] },
        { type: ['service'], uri: `lookup/service/m${n}`, expires: live, 'service-type': ['owamp'], 'service-host': [`lookup/host/m${n}`], 'service-locator': [`tcp://127.0.0.1:${port}`] },
      ];
    }).flat();
    const many = await startLookupServiceDouble({ records });
    try {
      const result = await searchHosts({ serviceTypes: ['owamp'], sort: 'reachability', limit: 5 }, { sources: [many.searchUrl], probe: { allow: loopbackOnly, budgetMs: 10_000 } });
      expect(result.total).toBe(30);
      expect(result.hosts).toHaveLength(5);
      expect(result.hosts.slice(0, 2).map((h) => [h.target, h.reachability?.error]).sort()).toEqual([
        ['h28.probe.example.net', null],
        ['h29.probe.example.net', null],
      ]);
      expect(result.hosts.slice(2).every((h) => h.reachability?.error === 'ECONNREFUSED')).toBe(true);
    } finally {
      await many.close();
    }
  });
});
