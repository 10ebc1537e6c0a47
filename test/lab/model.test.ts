// The lab's pure parts: topology rules, routing, the safety checks on a plan, statistics and the
// parsers of plain-tool output. Nothing here touches the network, so it runs without root.
import { describe, expect, it } from 'vitest';
import { assertSafePlan, planLab } from './build.ts';
import { inNamespaceArgv } from './commands.ts';
import { parseIperf3Json, parsePingMtu, parsePingSummary, parsePingTimes, parsePingTtls, parseSocketMemory, parseTracepath, parseTraceroute } from './measure.ts';
import { linkInterface, namespaceName, parseLabNamespace } from './names.ts';
import { computeRoutes, pathTo } from './routing.ts';
import { assertSafeIpCommand, isLabPrefix, LabSafetyError } from './safety.ts';
import { binomialAcceptance, lossProbeCount } from './stats.ts';
import { TOPOLOGIES, topologyProblems, type Topology } from './topology.ts';

describe('topologies', () => {
  it.each(Object.values(TOPOLOGIES))('$name is valid and every host reaches every host', (topology: Topology) => {
    expect(topologyProblems(topology)).toEqual([]);
    const routes = computeRoutes(topology);
    const hosts = topology.nodes.filter((n) => n.role === 'host');
    for (const s of hosts) for (const d of hosts) if (s !== d) expect(pathTo(topology, routes, s.name, d.name, topology.links.find((l) => l.a === d.name || l.b === d.name)?.net ?? 0).at(-1)).toBe(d.name);
  });

  it('gives the expected paths, asymmetric ones included', () => {
    const paths = (t: Topology, s: string, d: string) => pathTo(t, computeRoutes(t), s, d, t.links.find((l) => l.a === d || l.b === d)?.net ?? 0);
    expect(paths(TOPOLOGIES.direct, 'client', 'server')).toEqual(['client', 'r1', 'server']);
    expect(paths(TOPOLOGIES.segmented, 'client', 'server')).toEqual(['client', 'r1', 'r2', 'server']);
    expect(paths(TOPOLOGIES.segmented, 'client', 'mid')).toEqual(['client', 'r1', 'r2', 'mid']);
    expect(paths(TOPOLOGIES.segmented, 'mid', 'server')).toEqual(['mid', 'r2', 'server']);
    expect(paths(TOPOLOGIES.asymmetric, 'client', 'server')).toEqual(['client', 'r1', 'r2', 'server']);
    expect(paths(TOPOLOGIES.asymmetric, 'server', 'client')).toEqual(['server', 'r2', 'r3', 'r1', 'client']);
  });

  it('reports broken topologies', () => {
    const broken: Topology = {
      name: 'broken',
      description: '',
      nodes: [
        { name: 'Client', role: 'host', id: 10 },
        { name: 'r1', role: 'router', id: 10 },
      ],
      links: [
        { a: 'Client', b: 'r1', net: 1, mtu: 1000 },
        { a: 'r1', b: 'ghost', net: 1 },
      ],
      routes: [{ at: 'r1', dest: 'Client', via: 'ghost' }],
    };
    const problems = topologyProblems(broken).join('\n');
    expect(problems).toMatch(/node name "Client"/);
    expect(problems).toMatch(/id 10 is already used/);
    expect(problems).toMatch(/mtu must be 1280/);
    expect(problems).toMatch(/unknown node/);
    expect(problems).toMatch(/net 1 is already used/);
  });

  it('detects routing loops', () => {
    const t = TOPOLOGIES.asymmetric;
    const routes = computeRoutes(t);
    routes.get('r3')?.set(5, 'r1');
    routes.get('r1')?.set(5, 'r3');
    expect(() => pathTo(t, routes, 'client', 'server', 5)).toThrow(/loop/);
  });
});

describe('names', () => {
  it('keeps interface names within 15 characters and namespaces recognisable', () => {
    expect(linkInterface('abcdefghij').length).toBeLessThanOrEqual(15);
    expect(() => linkInterface('abcdefghijk')).toThrow();
    expect(parseLabNamespace(namespaceName('ab12cd', 'server'))).toEqual({ labId: 'ab12cd', node: 'server' });
    expect(parseLabNamespace('pswtr1-r1')).toBeNull();
  });
});

describe('safety', () => {
  it('plans only lab-range addresses and no default route, for every topology', () => {
    for (const topology of Object.values(TOPOLOGIES)) {
      const plan = planLab(topology, 'abc123', computeRoutes(topology));
      expect(() => assertSafePlan(plan)).not.toThrow();
      const lines = plan.namespaces.flatMap((n) => [...n.ip4, ...n.ip6]);
      expect(lines.some((l) => /default/.test(l))).toBe(false);
      expect(lines.filter((l) => l.startsWith('route')).length).toBeGreaterThan(0);
    }
  });

  it('refuses commands outside the lab', () => {
    expect(() => assertSafeIpCommand('route add default via 198.18.1.1')).toThrow(LabSafetyError);
    expect(() => assertSafeIpCommand('route add 10.0.0.0/8 via 198.18.1.1')).toThrow(LabSafetyError);
    expect(() => assertSafeIpCommand('route add 198.16.0.0/12 via 198.18.1.1')).toThrow(LabSafetyError);
    expect(() => assertSafeIpCommand('addr add 2001:db9::1/64 dev to-r1')).toThrow(LabSafetyError);
    expect(() => assertSafeIpCommand('netns add x')).toThrow(LabSafetyError);
    expect(() => assertSafeIpCommand('route replace 198.18.3.0/24 via 198.18.2.2')).not.toThrow();
    expect(() => inNamespaceArgv('pswtr1-r1', ['true'])).toThrow(LabSafetyError);
    expect(() => inNamespaceArgv('default', ['true'])).toThrow(LabSafetyError);
    expect(isLabPrefix('198.18.0.0/15')).toBe(true);
    expect(isLabPrefix('198.18.0.0/14')).toBe(false);
  });

  it('refuses a plan that was tampered with', () => {
    const topology = TOPOLOGIES.direct;
    const plan = planLab(topology, 'abc123', computeRoutes(topology));
    const tampered = { ...plan, namespaces: plan.namespaces.map((n, i) => (i === 0 ? { ...n, ip4: [...n.ip4, 'route add 0.0.0.0/0 via 198.18.1.1'] } : n)) };
    expect(() => assertSafePlan(tampered)).toThrow(LabSafetyError);
    const foreign = { ...plan, veths: [{ ...plan.veths[0], b: { ns: 'host', ifname: 'to-x' } }] } as unknown as typeof plan;
    expect(() => assertSafePlan(foreign)).toThrow(LabSafetyError);
  });
});

describe('binomial acceptance', () => {
  it('brackets the mean and excludes zero for the probe counts the lab uses', () => {
    for (const p of [0.005, 0.01, 0.02, 0.1, 0.5]) {
      const n = lossProbeCount(p);
      const { low, high } = binomialAcceptance(n, p);
      expect(low).toBeGreaterThan(0);
      expect(low).toBeLessThan(n * p);
      expect(high).toBeGreaterThan(n * p);
    }
  });

  it('matches known values', () => {
    // n=3000, p=0.02: mean 60, sd 7.67; alpha 1e-6 is about ±4.9 sd
    const { low, high } = binomialAcceptance(3000, 0.02, 1e-6);
    expect(low).toBeGreaterThanOrEqual(25);
    expect(low).toBeLessThanOrEqual(30);
    expect(high).toBeGreaterThanOrEqual(96);
    expect(high).toBeLessThanOrEqual(102);
    expect(binomialAcceptance(100, 0)).toEqual({ low: 0, high: 0 });
    expect(binomialAcceptance(20_000, 0.3).low).toBeGreaterThan(5000);
  });
});

describe('parsers', () => {
  it('reads ping', () => {
    const out = `PING 198.18.3.20 (198.18.3.20) 56(84) bytes of data.
64 bytes from 198.18.3.20: icmp_seq=1 ttl=61 time=0.220 ms
64 bytes from 198.18.3.20: icmp_seq=2 ttl=62 time=0.040 ms

--- 198.18.3.20 ping statistics ---
3 packets transmitted, 2 received, +1 errors, 33.3333% packet loss, time 407ms
rtt min/avg/max/mdev = 0.040/0.130/0.220/0.090 ms`;
    expect(parsePingSummary(out)).toEqual({ transmitted: 3, received: 2, errors: 1, rtt: { min: 0.04, avg: 0.13, max: 0.22 } });
    expect(parsePingTtls(out)).toEqual([61, 62]);
    expect(parsePingTimes(out)).toEqual([0.22, 0.04]);
    expect(parsePingMtu('From 198.18.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1400)')).toBe(1400);
    expect(parsePingMtu('From 2001:db8:0:1::1 icmp_seq=1 Packet too big: mtu=1400')).toBe(1400);
    expect(parsePingMtu('ping: local error: message too long, mtu: 1280')).toBe(1280);
    expect(parsePingMtu('2 packets transmitted, 0 received, 100% packet loss')).toBeNull();
  });

  it('reads tracepath and traceroute', () => {
    expect(parseTracepath(' 2:  198.18.2.20   0.017ms reached\n     Resume: pmtu 1400 hops 2 back 2 ')).toEqual({ pmtu: 1400, hops: 2, reached: true });
    expect(parseTracepath('     Too many hops: pmtu 1500\n     Resume: pmtu 1500 ')).toEqual({ pmtu: 1500, hops: null, reached: false });
    const hops = parseTraceroute('traceroute to 2001:db8:0:5::20 (2001:db8:0:5::20), 30 hops max\n 1  2001:db8:0:1::1  0.04 ms\n 2  *\n 3  2001:db8:0:5::20  0.01 ms\n');
    expect(hops).toEqual([
      { ttl: 1, address: '2001:db8:0:1::1' },
      { ttl: 2, address: null },
      { ttl: 3, address: '2001:db8:0:5::20' },
    ]);
  });

  it('reads ss socket memory and iperf3 JSON', () => {
    const ss = '0      0      [::ffff:198.18.2.20]:5299 [::ffff:198.18.2.1]:36508\n\t skmem:(r0,rb65536,t0,tb46080,f0,w0,o0,bl0,d0) bbr wscale:10,10\n';
    expect(parseSocketMemory(ss)).toEqual([{ local: '[::ffff:198.18.2.20]:5299', peer: '[::ffff:198.18.2.1]:36508', rcvbuf: 65536, sndbuf: 46080 }]);
    const iperf = JSON.stringify({ end: { sum_sent: { bits_per_second: 5e7, retransmits: 12 }, sum_received: { bits_per_second: 4.9e7 } } });
    expect(parseIperf3Json(iperf)).toEqual({ receivedBitsPerSecond: 4.9e7, sentBitsPerSecond: 5e7, retransmits: 12 });
    expect(() => parseIperf3Json(JSON.stringify({ error: 'unable to connect' }))).toThrow(/unable to connect/);
  });
});
