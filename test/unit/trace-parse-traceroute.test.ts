import { describe, expect, it } from 'vitest';
import { PathTrace } from '../../electron/shared/path.ts';
import { parseTraceroute } from '../../electron/core/measure/trace/parse-traceroute.ts';
import { addresses, assertClean, fixture, SERVER, SERVER6 } from './trace-fixtures.ts';

const BASE = ['198.18.1.1', '198.18.2.2', SERVER];

describe('Linux traceroute (real output from the namespace lab)', () => {
  it.each(['traceroute-udp-3hop', 'traceroute-icmp-3hop', 'traceroute-tcp-3hop', 'traceroute-paris-udp', 'traceroute-tcp-paris-ecmp'])('%s: three hops, exact addresses, destination reached', (name) => {
    const trace = parseTraceroute(fixture(`linux/${name}`));
    expect(trace.format).toBe('linux-traceroute');
    expect(trace.targetAddress).toBe(SERVER);
    expect(trace.maxHops).toBe(30);
    expect(trace.packetBytes).toBe(60);
    expect(addresses(trace)).toEqual(BASE);
    expect(trace.reached).toBe(true);
    expect(trace.hops.map((h) => h.reached)).toEqual([false, false, true]);
    expect(trace.problems).toEqual([]);
    expect(PathTrace.safeParse(trace).success).toBe(true);
  });

  it('keeps every probe with its RTT and computes the statistics', () => {
    const trace = parseTraceroute(fixture('linux/traceroute-udp-3hop'));
    const hop = trace.hops[0];
    expect(hop?.sent).toBe(3);
    expect(hop?.received).toBe(3);
    expect(hop?.lossPercent).toBe(0);
    expect(hop?.probes).toHaveLength(3);
    const rtts = hop?.probes.map((p) => p.rttMs) ?? [];
    expect(rtts.every((r) => typeof r === 'number' && r >= 0 && r < 10)).toBe(true);
    expect(hop?.rtt?.best).toBe(Math.min(...(rtts as number[])));
    expect(hop?.rtt?.worst).toBe(Math.max(...(rtts as number[])));
    expect(hop?.rtt?.last).toBe(rtts[2]);
  });

  it('IPv6', () => {
    for (const name of ['traceroute-udp-ipv6', 'traceroute-icmp-ipv6']) {
      const trace = parseTraceroute(fixture(`linux/${name}`));
      expect(trace.targetAddress).toBe(SERVER6);
      expect(trace.packetBytes).toBe(80);
      expect(addresses(trace)).toEqual(['2001:db8:1::1', '2001:db8:2::2', SERVER6]);
      expect(trace.reached).toBe(true);
    }
  });

  it('"name (address)" output keeps the address and drops a name that is only the address again', () => {
    const trace = parseTraceroute(fixture('linux/traceroute-names'));
    expect(addresses(trace)).toEqual(BASE);
    expect(trace.hops.every((h) => h.responders.every((r) => r.name === null))).toBe(true);
  });

  it('a silent router is a hop with no responder, and the path goes on behind it', () => {
    const trace = parseTraceroute(fixture('linux/traceroute-silent-hop'));
    expect(addresses(trace)).toEqual(['*', '198.18.2.2', SERVER]);
    expect(trace.hops[0]).toMatchObject({ sent: 3, received: 0, lossPercent: 100, rtt: null });
    expect(trace.reached).toBe(true);
  });

  it('ECMP: per-probe ports spread over both branches, and each probe is credited to the address printed before it', () => {
    const trace = parseTraceroute(fixture('linux/traceroute-tcp-ecmp'));
    const hop2 = trace.hops[1];
    expect(hop2?.responders.map((r) => r.address).sort()).toEqual(['198.18.2.2', '198.18.4.2']);
    expect(hop2?.probes).toHaveLength(6);
    expect(hop2?.probes.every((p) => p.address === '198.18.2.2' || p.address === '198.18.4.2')).toBe(true);
    expect(hop2?.responders.reduce((n, r) => n + r.replies, 0)).toBe(6);
    // " 2  198.18.2.2  0.014 ms 198.18.4.2  0.014 ms  0.007 ms 198.18.2.2  0.009 ms 198.18.4.2  0.009 ms  0.007 ms"
    expect(hop2?.probes.map((p) => p.address)).toEqual(['198.18.2.2', '198.18.4.2', '198.18.4.2', '198.18.2.2', '198.18.4.2', '198.18.4.2']);
  });

  it('the route change scenario shows the other branch at hop 2', () => {
    expect(addresses(parseTraceroute(fixture('linux/traceroute-udp-route-b')))).toEqual(['198.18.1.1', '198.18.4.2', SERVER]);
  });

  it.each([
    ['traceroute-host-unreachable', '!H'],
    ['traceroute-net-unreachable', '!N'],
    ['traceroute-admin-prohibited', '!X'],
    ['traceroute-prot-unreachable', '!P'],
  ])('%s: the router reports %s; the destination is not reached', (name, flag) => {
    const trace = parseTraceroute(fixture(`linux/${name}`));
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', '198.18.2.2']);
    const last = trace.hops[2];
    expect(last?.flags).toEqual([flag]);
    expect(last?.probes.map((p) => p.flag)).toEqual([flag, flag, flag]);
    expect(trace.reached).toBe(false);
  });

  it('a trace that runs out of hops ends in "*" hops and is not reached', () => {
    const trace = parseTraceroute(fixture('linux/traceroute-max-hops'));
    expect(trace.maxHops).toBe(6);
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', '*', '*', '*', '*']);
    expect(trace.reached).toBe(false);
  });

  it('--mtu: "F=N" sets the MTU of the link into that hop; on hop 1 it is the local MTU', () => {
    const trace = parseTraceroute(fixture('linux/traceroute-mtu-1400'));
    expect(trace.packetBytes).toBe(65000);
    expect(trace.localMtu).toBe(1500);
    expect(trace.hops.map((h) => h.mtu)).toEqual([1500, null, 1400]);
    expect(trace.reached).toBe(true);
  });

  it('rate limiting at R2a: loss at hop 2 only', () => {
    const trace = parseTraceroute(fixture('linux/traceroute-ratelimit'));
    expect(trace.hops.map((h) => h.lossPercent)).toEqual([0, 50, 0]);
    expect(trace.hops[1]?.probes.filter((p) => p.address === null)).toHaveLength(5);
  });

  it('reads the annotations modern traceroute can print', () => {
    const text = [
      'traceroute to 192.0.2.9 (192.0.2.9), 30 hops max, 60 byte packets',
      ' 1  192.0.2.1 [AS64500]  0.5 ms  0.6 ms  0.7 ms',
      " 2  192.0.2.2 <MPLS:L=24001,E=0,S=1,T=1>  1.0 ms '-3'  1.1 ms  1.2 ms",
      ' 3  192.0.2.3  2.0 ms !<10>  2.1 ms !F-1400  *',
      ' 4  192.0.2.9 <syn,ack>  3.0 ms  3.1 ms  3.2 ms',
      '',
    ].join('\n');
    const trace = parseTraceroute(text);
    expect(trace.problems).toEqual([]);
    expect(trace.hops[1]?.note).toBe('<MPLS:L=24001,E=0,S=1,T=1>');
    expect(trace.hops[1]?.asymm).toBe(3);
    expect(trace.hops[2]?.flags).toEqual(['!<10>', '!F-1400']);
    expect(trace.hops[2]?.mtu).toBe(1400);
    expect(trace.hops[2]?.mtuReportedBy).toBe('192.0.2.3');
    expect(trace.hops[3]?.reached).toBe(true);
  });
});

describe('BSD / macOS traceroute (documented format)', () => {
  it('continuation lines add responders to the hop above; names are kept when valid', () => {
    const trace = parseTraceroute(fixture('macos/traceroute-names'));
    expect(trace.format).toBe('bsd-traceroute');
    expect(trace.maxHops).toBe(64);
    expect(trace.packetBytes).toBe(52);
    expect(addresses(trace)).toEqual(['192.168.1.1', '*', '10.250.192.1', '198.51.100.150|198.51.100.158', '198.51.100.245|198.51.100.249', '198.51.100.93', '203.0.113.80']);
    expect(trace.hops[0]?.responders[0]?.name).toBe('gateway.home.example');
    const hop5 = trace.hops[4];
    expect(hop5?.probes.map((p) => p.address)).toEqual(['198.51.100.245', '198.51.100.249', '198.51.100.245']);
    expect(hop5?.responders.find((r) => r.address === '198.51.100.245')?.replies).toBe(2);
    expect(trace.hops[3]).toMatchObject({ sent: 3, received: 2 });
    expect(trace.hops[5]).toMatchObject({ sent: 3, received: 1 });
    expect(trace.reached).toBe(true);
    expect(trace.problems).toEqual([]);
  });

  it('ignores the "multiple addresses" warning and reads -n output', () => {
    const trace = parseTraceroute(fixture('macos/traceroute-n'));
    expect(trace.problems).toEqual([]);
    expect(addresses(trace)).toEqual(['192.168.1.1', '172.16.1.1', '*', '198.51.100.17', '203.0.113.80']);
  });

  it('traceroute6 with its "from" header', () => {
    const trace = parseTraceroute(fixture('macos/traceroute6'));
    expect(trace.format).toBe('bsd-traceroute');
    expect(trace.targetAddress).toBe('2001:db8:ffff::fffc');
    expect(trace.hops).toHaveLength(6);
    expect(trace.reached).toBe(true);
  });

  it('"!F-1400": the router in front of the narrow link names the MTU', () => {
    const trace = parseTraceroute(fixture('macos/traceroute-frag'));
    expect(trace.hops[2]).toMatchObject({ mtu: 1400, mtuReportedBy: '198.51.100.1', flags: ['!F-1400'] });
    expect(trace.reached).toBe(false);
  });

  it('a bare "!" (reply TTL <= 1) still counts as the destination', () => {
    const trace = parseTraceroute(fixture('macos/traceroute-port-reached-low-ttl'));
    expect(trace.reached).toBe(true);
    expect(trace.hops[1]?.flags).toEqual(['!']);
  });

  it('"!H" from the last router: not reached', () => {
    const trace = parseTraceroute(fixture('macos/traceroute-unreachable'));
    expect(trace.reached).toBe(false);
    expect(trace.hops[2]?.flags).toEqual(['!H']);
  });
});

describe('traceroute: truncated, garbage and hostile output', () => {
  it('truncated mid-line: keeps the complete hops, reads the partial one, no throw', () => {
    const full = fixture('linux/traceroute-udp-3hop');
    const cut = full.slice(0, full.indexOf(' 3  ') + 19); // " 3  198.18.9.1  0.0"
    const trace = parseTraceroute(cut);
    expect(addresses(trace)).toEqual(BASE);
    expect(trace.hops[1]?.probes).toHaveLength(3);
    expect(trace.hops[2]?.probes).toHaveLength(0);
    expect(trace.problems.some((p) => /unreadable field/.test(p))).toBe(true);
    expect(parseTraceroute(full.slice(0, full.indexOf(' 3  ') + 12)).hops[2]?.responders).toEqual([]);
  });

  it('without a header the target is unknown: hops kept, "reached" cannot be told, a problem says so', () => {
    const body = fixture('linux/traceroute-udp-3hop').split('\n').slice(1).join('\n');
    const trace = parseTraceroute(body);
    expect(trace.hops).toHaveLength(3);
    expect(trace.reached).toBe(false);
    expect(trace.problems.join(' ')).toMatch(/target address is unknown/);
    expect(parseTraceroute(body, { targetAddress: SERVER }).reached).toBe(true);
  });

  it('option-like and invalid names are dropped, the address kept, and the problem quoted safely', () => {
    const text = 'traceroute to 192.0.2.9 (192.0.2.9), 30 hops max, 60 byte packets\n 1  -rf (192.0.2.1)  0.5 ms\n 2  bad\u0007name\u001b[2J (192.0.2.9)  0.6 ms\n';
    const trace = parseTraceroute(text);
    expect(addresses(trace)).toEqual(['192.0.2.1', '192.0.2.9']);
    expect(trace.hops.every((h) => h.responders.every((r) => r.name === null))).toBe(true);
    expect(trace.problems.length).toBeGreaterThan(0);
    assertClean(trace);
  });

  it('a 10 000-character line is cut and reported, and the other hops survive', () => {
    const text = `traceroute to 192.0.2.9 (192.0.2.9), 30 hops max, 60 byte packets\n 1  192.0.2.1  0.5 ms ${'x'.repeat(10_000)}\n 2  192.0.2.9  0.6 ms\n`;
    const trace = parseTraceroute(text);
    expect(addresses(trace)).toEqual(['192.0.2.1', '192.0.2.9']);
    expect(trace.problems.some((p) => /cut to/.test(p))).toBe(true);
    assertClean(trace);
  });

  it('garbage in, an empty trace and problems out', () => {
    for (const junk of ['', '\u0000\u0001\u0002', 'hello world', '{"json": true}', '999 999.999.999.999 1 ms', ' 0  192.0.2.1  1 ms', '256  192.0.2.1  1 ms']) {
      const trace = parseTraceroute(junk);
      expect(trace.hops.filter((h) => h.responders.length > 0)).toHaveLength(0);
      expect(PathTrace.safeParse(trace).success).toBe(true);
    }
    expect(parseTraceroute(undefined).problems).toEqual(['the output is not text']);
    expect(parseTraceroute(42).hops).toEqual([]);
  });

  it('a flood of lines and probes stays bounded', () => {
    const hop = ` 5  192.0.2.5 ${' 1.0 ms'.repeat(500)}\n`;
    const trace = parseTraceroute(`traceroute to 192.0.2.9 (192.0.2.9), 30 hops max, 60 byte packets\n${hop.repeat(30_000)}`);
    expect(trace.hops).toHaveLength(1);
    expect(trace.hops[0]?.probes.length).toBeLessThanOrEqual(64);
    expect(trace.problems.length).toBeLessThanOrEqual(41);
  });
});
