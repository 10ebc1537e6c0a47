import { describe, expect, it } from 'vitest';
import { searchMtu, type Prober } from '../../electron/core/measure/trace/mtu.ts';

/**
 * The DF size search as an algorithm. The prober stands in for "ping -M do -s N" against a path
 * whose behaviour is spelled out here (the real prober runs in test/integration/trace-runners).
 */
function path(options: { mtu: number; reports?: boolean; blackHole?: boolean; deadAbove?: number }): { probe: Prober; sizes: number[] } {
  const sizes: number[] = [];
  const probe: Prober = async (size) => {
    sizes.push(size);
    if (options.deadAbove !== undefined && size > options.deadAbove) return { outcome: 'noReply', reportedMtu: null, from: null, cancelled: false };
    if (size <= options.mtu) return { outcome: 'fits', reportedMtu: null, from: '192.0.2.9', cancelled: false };
    if (options.blackHole) return { outcome: 'noReply', reportedMtu: null, from: null, cancelled: false };
    return { outcome: 'tooBig', reportedMtu: options.reports ? options.mtu : null, from: '192.0.2.1', cancelled: false };
  };
  return { probe, sizes };
}

describe('searchMtu', () => {
  it('finds 1400 by bisection when nothing names it', async () => {
    const p = path({ mtu: 1400 });
    const r = await searchMtu(p.probe, { min: 576, max: 9000 });
    expect(r).toMatchObject({ mtu: 1400, lowerBound: false, silentDrop: false, cancelled: false });
    expect(r.probes.length).toBeLessThanOrEqual(16);
    expect(r.probes.map((x) => x.step)).toEqual(r.probes.map((_, i) => i + 1));
  });

  it('follows an MTU named in the error: a handful of probes', async () => {
    const p = path({ mtu: 1400, reports: true });
    const r = await searchMtu(p.probe, { min: 576, max: 9000 });
    expect(r.mtu).toBe(1400);
    expect(p.sizes).toEqual([576, 9000, 1400, 1401]);
  });

  it('a correct hint (tracepath) is confirmed with two probes', async () => {
    const p = path({ mtu: 1500 });
    const r = await searchMtu(p.probe, { min: 576, max: 9000, hint: 1500 });
    expect(r.mtu).toBe(1500);
    expect(p.sizes).toEqual([576, 1500, 1501]);
  });

  it('a black hole: sizes above the real MTU vanish silently, and a too-high hint is corrected', async () => {
    const p = path({ mtu: 1400, blackHole: true });
    const r = await searchMtu(p.probe, { min: 576, max: 9000, hint: 1500 });
    expect(r).toMatchObject({ mtu: 1400, silentDrop: true });
  });

  it('the top of the range fits: a lower bound', async () => {
    const r = await searchMtu(path({ mtu: 65535 }).probe, { min: 576, max: 9000 });
    expect(r).toMatchObject({ mtu: 9000, lowerBound: true, silentDrop: false });
    expect(r.probes).toHaveLength(2);
  });

  it('a target that answers no DF ping at all', async () => {
    const r = await searchMtu(path({ mtu: 1500, deadAbove: 0 }).probe, { min: 576, max: 9000 });
    expect(r).toMatchObject({ mtu: null, lowerBound: false });
    expect(r.probes).toHaveLength(1);
  });

  it('stays bounded even when the prober lies', async () => {
    let n = 0;
    const flaky: Prober = async () => {
      n += 1;
      return { outcome: n % 2 === 0 ? 'fits' : 'tooBig', reportedMtu: 600 + (n % 7), from: null, cancelled: false };
    };
    const r = await searchMtu(flaky, { min: 500, max: 65535 });
    expect(r.probes.length).toBeLessThanOrEqual(24);
  });

  it('stops when cancelled', async () => {
    let calls = 0;
    const r = await searchMtu(async () => ({ outcome: 'fits', reportedMtu: null, from: null, cancelled: ++calls === 2 }), { min: 576, max: 9000 });
    expect(r.cancelled).toBe(true);
    expect(calls).toBe(2);
  });

  it('every probe is reported as it happens', async () => {
    const seen: number[] = [];
    await searchMtu(path({ mtu: 1280 }).probe, { min: 576, max: 2000 }, (p) => seen.push(p.mtu));
    expect(seen[0]).toBe(576);
    expect(seen.length).toBeGreaterThan(2);
  });
});
