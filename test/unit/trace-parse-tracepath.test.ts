import { describe, expect, it } from 'vitest';
import { PathTrace } from '../../electron/shared/path.ts';
import { parseTracepath } from '../../electron/core/measure/trace/parse-tracepath.ts';
import { addresses, assertClean, fixture, SERVER, SERVER6 } from './trace-fixtures.ts';

const opts = { targetAddress: SERVER };

describe('tracepath (real output from the namespace lab)', () => {
  it('three hops; the duplicated first-hop line is two probes of one hop; local and path MTU', () => {
    const trace = parseTracepath(fixture('linux/tracepath-3hop'), opts);
    expect(trace.format).toBe('tracepath');
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', SERVER]);
    expect(trace.hops[0]?.probes).toHaveLength(2);
    expect(trace.localMtu).toBe(1500);
    expect(trace.pathMtu).toBe(1500);
    expect(trace.hopsBack).toBe(3);
    expect(trace.reached).toBe(true);
    expect(trace.hops[2]?.reached).toBe(true);
    expect(trace.problems).toEqual([]);
    expect(PathTrace.safeParse(trace).success).toBe(true);
  });

  it('"reached" alone marks the destination, even without the target address', () => {
    const trace = parseTracepath(fixture('linux/tracepath-3hop'));
    expect(trace.reached).toBe(true);
    expect(trace.targetAddress).toBeNull();
  });

  it('MTU 1400 behind R2a: the pmtu line is R2a reporting, not a responder of hop 3', () => {
    for (const [name, target, reporter] of [
      ['tracepath-mtu-1400', SERVER, '198.18.2.2'],
      ['tracepath-ipv6-mtu-1400', SERVER6, '2001:db8:2::2'],
    ] as const) {
      const trace = parseTracepath(fixture(`linux/${name}`), { targetAddress: target });
      const hop3 = trace.hops[2];
      expect(hop3?.mtu).toBe(1400);
      expect(hop3?.mtuReportedBy).toBe(reporter);
      expect(hop3?.responders.map((r) => r.address)).toEqual([target]);
      expect(hop3?.probes).toHaveLength(1);
      expect(trace.localMtu).toBe(1500);
      expect(trace.pathMtu).toBe(1400);
      expect(trace.reached).toBe(true);
    }
  });

  it('IPv6: the [LOCALHOST] line with a time still only gives the local MTU', () => {
    const trace = parseTracepath(fixture('linux/tracepath-ipv6'), { targetAddress: SERVER6 });
    expect(trace.localMtu).toBe(1500);
    expect(addresses(trace)).toEqual(['2001:db8:1::1', '2001:db8:2::2', SERVER6]);
  });

  it('"asymm N" is kept per hop', () => {
    const trace = parseTracepath(fixture('linux/tracepath-asymm'), opts);
    expect(trace.hops.map((h) => h.asymm)).toEqual([null, 6, null]);
    expect(trace.hopsBack).toBe(7);
  });

  it('"no reply" hops, "Too many hops" and a Resume without hops', () => {
    const trace = parseTracepath(fixture('linux/tracepath-no-reply'), opts);
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', '*', '*', '*']);
    expect(trace.reached).toBe(false);
    expect(trace.pathMtu).toBe(1500);
    expect(trace.hopsBack).toBeNull();
  });

  it('a silent first hop', () => {
    const trace = parseTracepath(fixture('linux/tracepath-silent-hop'), opts);
    expect(addresses(trace)).toEqual(['*', '198.18.2.2', SERVER]);
    expect(trace.reached).toBe(true);
  });

  it('"!H": the router answers for the unreachable destination', () => {
    const trace = parseTracepath(fixture('linux/tracepath-host-unreach'), opts);
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', '198.18.2.2']);
    expect(trace.hops[2]?.flags).toEqual(['!H']);
    expect(trace.reached).toBe(false);
  });

  it('with names: "??? (address)" keeps the address and no name', () => {
    const trace = parseTracepath(fixture('linux/tracepath-names'), opts);
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', SERVER]);
    expect(trace.hops.flatMap((h) => h.responders.map((r) => r.name))).toEqual([null, null, null]);
    const named = parseTracepath(' 1:  gw.example.net (192.0.2.1)   0.5ms\n 2:  192.0.2.9   0.6ms reached\n     Resume: pmtu 1500 hops 2 back 2\n');
    expect(named.hops[0]?.responders[0]).toEqual({ address: '192.0.2.1', name: 'gw.example.net', replies: 1 });
  });

  it('the route change scenario (IPv6)', () => {
    expect(addresses(parseTracepath(fixture('linux/tracepath-ipv6-route-b'), { targetAddress: SERVER6 }))).toEqual(['2001:db8:1::1', '2001:db8:4::2', SERVER6]);
  });
});

describe('tracepath: truncated, garbage and hostile output', () => {
  it('truncated before "Resume": hops kept, a problem says so', () => {
    const full = fixture('linux/tracepath-3hop');
    const trace = parseTracepath(full.slice(0, full.indexOf('Resume')), opts);
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', SERVER]);
    expect(trace.problems.join(' ')).toMatch(/Resume/);
  });

  it('garbage never throws and yields no responders', () => {
    for (const junk of ['', 'x', ' 1:  not-an-address 1.0ms', ' 1:  192.0.2.1 1.0ms pmtu abc', '300:  192.0.2.1 1ms', '\u0000'.repeat(100), ' 1:  -oProxyCommand=x (192.0.2.1)  1.0ms']) {
      const trace = parseTracepath(junk);
      expect(PathTrace.safeParse(trace).success).toBe(true);
      assertClean(trace);
      for (const hop of trace.hops) for (const r of hop.responders) expect(r.name === null || !r.name.startsWith('-')).toBe(true);
    }
    expect(parseTracepath(null).problems).toEqual(['the output is not text']);
  });

  it('a hostile router name never becomes a name', () => {
    const trace = parseTracepath(` 1:  ${'a'.repeat(300)}.example (192.0.2.1)   0.5ms\n 2:  x\u001b]0;pwned\u0007 (192.0.2.9)  0.6ms reached\n`);
    expect(addresses(trace)).toEqual(['192.0.2.1', '192.0.2.9']);
    expect(trace.hops.flatMap((h) => h.responders.map((r) => r.name))).toEqual([null, null]);
    assertClean(trace);
  });
});
