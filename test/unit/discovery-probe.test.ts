import { describe, expect, it } from 'vitest';
import { probeHosts, probeTarget } from '../../electron/core/discovery/probe.ts';
import type { HostService, HostView, Reachability } from '../../electron/shared/hosts.ts';

function service(type: string, host: string, port: number | null): HostService {
  return { uri: `lookup/service/${type}`, type, name: null, version: null, locators: [{ url: `x://${host}`, scheme: 'tcp', host, port }], tests: [], tools: [] };
}

function host(id: string, services: HostService[]): HostView {
  return { id, services } as unknown as HostView;
}

describe('probeTarget', () => {
  const h = host('a', [service('ma', 'ma.example.net', 443), service('owamp', 'lat.example.net', 861), service('pscheduler', 'ps.example.net', 443)]);

  it('dials the requested service type first', () => {
    expect(probeTarget(h, 'owamp')).toEqual({ host: 'lat.example.net', port: 861 });
    expect(probeTarget(h, 'OWAMP')).toEqual({ host: 'lat.example.net', port: 861 });
  });

  it('otherwise prefers pscheduler, then owamp, twamp, bwctl, then anything with a port', () => {
    expect(probeTarget(h)).toEqual({ host: 'ps.example.net', port: 443 });
    expect(probeTarget(host('b', [service('ma', 'ma.example.net', 443)]))).toEqual({ host: 'ma.example.net', port: 443 });
  });

  it('skips locators without a port and hosts with nothing to dial', () => {
    expect(probeTarget(host('c', [service('traceroute', 'tr.example.net', null)]))).toBeNull();
  });

  it('never dials a host that fails target validation, even if one slipped into a view', () => {
    expect(probeTarget(host('d', [service('owamp', '--foo=bar', 861)]))).toBeNull();
  });
});

describe('probeHosts', () => {
  const many = Array.from({ length: 40 }, (_, i) => host(`h${i}`, [service('owamp', `h${i}.example.net`, 861)]));

  it('never has more than `concurrency` connects in flight and probes every host', async () => {
    let inFlight = 0;
    let peak = 0;
    const dial = async (h: string, port: number): Promise<Reachability> => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= 1;
      return { host: h, port, connectMs: 2, error: null };
    };
    const results = await probeHosts(many, { concurrency: 4, dial });
    expect(peak).toBe(4);
    expect(results.size).toBe(40);
  });

  it('stops within the total budget, reporting the rest as not measured', async () => {
    const dial = (h: string, port: number, _t: number, signal: AbortSignal) =>
      new Promise<Reachability>((resolve) => {
        const done = () => resolve({ host: h, port, connectMs: null, error: 'stopped' });
        if (signal.aborted) done();
        else signal.addEventListener('abort', done, { once: true });
      });
    const started = performance.now();
    const results = await probeHosts(many, { concurrency: 8, budgetMs: 150, dial });
    expect(performance.now() - started).toBeLessThan(1000);
    expect([...results.values()].every((r) => r.connectMs === null)).toBe(true);
    expect(results.size).toBe(40);
  });

  it('asks the allow gate before dialling and dials nothing it refuses', async () => {
    const dialled: string[] = [];
    const dial = async (h: string, port: number): Promise<Reachability> => {
      dialled.push(h);
      return { host: h, port, connectMs: 1, error: null };
    };
    const results = await probeHosts(many.slice(0, 3), { dial, allow: (h) => h === 'h1.example.net' });
    expect(dialled).toEqual(['h1.example.net']);
    expect(results.get('h0')).toMatchObject({ connectMs: null, error: 'not probed (not allowed)' });
  });
});
