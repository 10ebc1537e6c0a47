// Every fault the lab injects, measured end to end with plain tools against the issue's
// tolerances (loss within binomial bounds, rate within 10 %, delay within 2 ms, MTU and hop count
// exact), then removed; and the self-check shown to fail when a fault silently disappears.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeLab } from './gate.ts';
import { Lab } from './lab.ts';
import { leftovers } from './leftovers.ts';
import { measureLoss, measureRtt, measureThroughput, measureTracepath, measureTraceroute, parsePingSummary, parsePingTtls, probePacketSize } from './measure.ts';
import { binomialAcceptance, median } from './stats.ts';
import { LabVerificationError, TOLERANCE } from './verify.ts';

const IPERF3_PORT = 5201;

describeLab('lab faults (segmented: client — r1 — r2 — server, mid on r2)', () => {
  let lab: Lab;
  const pids: number[] = [];

  beforeAll(async () => {
    lab = await Lab.up('segmented');
    pids.push((await lab.startIperf3Server('server', IPERF3_PORT)).pid);
  });

  afterEach(async () => {
    await lab.fault.clear();
  });

  afterAll(async () => {
    await lab?.down();
  });

  it('random loss: 2 % on r1→r2, within binomial bounds on the link and end to end', async () => {
    const fault = await lab.fault.loss('r1', 'r2', 2);
    const own = fault.measured;
    expect(own).not.toBeNull();
    expect(own?.lost).toBeGreaterThanOrEqual(own?.acceptedLost.low ?? Number.NaN);
    expect(own?.lost).toBeLessThanOrEqual(own?.acceptedLost.high ?? Number.NaN);

    // client → server crosses r1→r2 once; mid → server does not cross it at all
    const endToEnd = await measureLoss(lab, 'client', lab.addr('server'), 3000);
    const bounds = binomialAcceptance(endToEnd.sent, 0.02, TOLERANCE.lossAlpha);
    expect(endToEnd.sent - endToEnd.received).toBeGreaterThanOrEqual(bounds.low);
    expect(endToEnd.sent - endToEnd.received).toBeLessThanOrEqual(bounds.high);
    const segment = await measureLoss(lab, 'mid', lab.addr('server', 6), 2000);
    expect(segment.received).toBe(segment.sent);

    await fault.remove();
    const after = await measureLoss(lab, 'client', lab.addr('server'), 1000);
    expect(after.received).toBe(after.sent);
  });

  it('self-check: a loss rule that vanished is reported, not measured as fine', async () => {
    const fault = await lab.fault.loss('r2', 'server', 5);
    await lab.exec('server', ['nft', 'flush', 'chain', 'inet', 'pswlab', 'loss']);
    await expect(fault.verify()).rejects.toThrow(LabVerificationError);
  });

  it('rate cap: 50 Mbit/s with a 100 kB buffer on r2→server measures within 10 %, over IPv4 and IPv6', async () => {
    const fault = await lab.fault.rate('r2', 'server', { rateMbit: 50, bufferBytes: 100_000 });
    expect(fault.measured?.measuredBitsPerSecond).toBeGreaterThan(45e6);
    expect(fault.measured?.measuredBitsPerSecond).toBeLessThan(55e6);
    for (const family of [4, 6] as const) {
      const run = await measureThroughput(lab, 'client', lab.addr('server', family), { port: IPERF3_PORT, seconds: 2 });
      expect(Math.abs(run.receivedBitsPerSecond - 50e6), `IPv${family}: ${run.receivedBitsPerSecond}`).toBeLessThan(5e6);
    }
    await fault.remove();
    const free = await measureThroughput(lab, 'client', lab.addr('server'), { port: IPERF3_PORT, seconds: 1 });
    expect(free.receivedBitsPerSecond).toBeGreaterThan(250e6);
  });

  it('self-check: a rate cap whose qdisc vanished is reported', async () => {
    const fault = await lab.fault.rate('r1', 'r2', { rateMbit: 20, bufferBytes: 50_000 });
    await lab.exec('r1', ['tc', 'qdisc', 'del', 'dev', 'to-r2', 'root']);
    await expect(fault.verify()).rejects.toThrow(/rate r1→r2: iperf3 measured/);
  });

  it('one-way delay: 20 ms on r1→r2 plus 10 ms on r2→server adds 30 ms (±2) to the RTT, hop count unchanged', async () => {
    const before = {
      v4: await measureRtt(lab, 'client', lab.addr('server')),
      v6: await measureRtt(lab, 'client', lab.addr('server', 6)),
      clientMid: await measureRtt(lab, 'client', lab.addr('mid')),
      midServer: await measureRtt(lab, 'mid', lab.addr('server')),
    };
    const ingress = await lab.fault.delay('r1', 'r2', 20);
    const egress = await lab.fault.delay('r2', 'server', 10);
    expect(Math.abs((ingress.measured?.addedMs ?? 0) - 20)).toBeLessThanOrEqual(TOLERANCE.delayMs);
    expect(Math.abs((egress.measured?.addedMs ?? 0) - 10)).toBeLessThanOrEqual(TOLERANCE.delayMs);
    for (const family of [4, 6] as const) {
      const after = await measureRtt(lab, 'client', lab.addr('server', family));
      expect(Math.abs(after.minMs - before[family === 4 ? 'v4' : 'v6'].minMs - 30), `IPv${family}`).toBeLessThanOrEqual(TOLERANCE.delayMs);
      const hops = await measureTraceroute(lab, 'client', lab.addr('server', family));
      expect(hops.map((h) => lab.nodeOf(h.address ?? ''))).toEqual(['r1', 'r2', 'server']);
    }
    // each delay acts on its hop alone: client ⇄ mid crosses only r1→r2, mid ⇄ server only r2→server
    const clientMid = await measureRtt(lab, 'client', lab.addr('mid'));
    expect(Math.abs(clientMid.minMs - before.clientMid.minMs - 20)).toBeLessThanOrEqual(TOLERANCE.delayMs);
    const midServer = await measureRtt(lab, 'mid', lab.addr('server'));
    expect(Math.abs(midServer.minMs - before.midServer.minMs - 10)).toBeLessThanOrEqual(TOLERANCE.delayMs);
  });

  it('the delay line holds 20 ms to within 1 ms (median and mean) while carrying 40 Mbit/s', async () => {
    const before = await measureRtt(lab, 'client', lab.addr('server'));
    await lab.fault.delay('r1', 'r2', 20, { backend: 'delay-line' });
    const load = lab.exec('client', ['iperf3', '-c', lab.addr('server'), '-p', String(IPERF3_PORT), '-u', '-b', '40M', '-t', '2', '-J'], { reject: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await measureRtt(lab, 'client', lab.addr('server'), { count: 50, intervalS: 0.02 });
    const udp = JSON.parse(String((await load).stdout)) as { end: { sum: { bits_per_second: number; lost_percent: number } } };
    expect(udp.end.sum.bits_per_second).toBeGreaterThan(38e6);
    expect(udp.end.sum.lost_percent).toBeLessThan(0.5);
    expect(during.timesMs.length).toBeGreaterThanOrEqual(48);
    expect(Math.abs(median(during.timesMs) - before.minMs - 20)).toBeLessThanOrEqual(1);
    expect(Math.abs(during.avgMs - before.minMs - 20)).toBeLessThanOrEqual(1);
  });

  it('self-check: a delay line that died is reported', async () => {
    const fault = await lab.fault.delay('r2', 'r1', 15, { backend: 'delay-line' });
    const line = lab.processes.find((p) => p.argv.some((a) => a.endsWith('delay-line.py')));
    expect(line).toBeDefined();
    await line?.stop();
    await expect(fault.verify()).rejects.toThrow(/delay r2→r1: ping adds/);
  });

  // r1 and r2 forget each other, as every neighbour entry must be confirmed again within a minute
  // or so; from then on they can only talk by asking each other across the delay lines' rules
  async function forgetNeighbours(): Promise<void> {
    for (const [node, peer] of [['r1', 'r2'], ['r2', 'r1']] as const) {
      for (const family of ['-4', '-6']) await lab.exec(node, ['ip', family, 'neigh', 'flush', 'dev', `to-${peer}`]);
    }
  }

  async function neighbourStates(): Promise<string[]> {
    const states: string[] = [];
    for (const [node, peer] of [['r1', 'r2'], ['r2', 'r1']] as const) {
      for (const family of [4, 6] as const) {
        const shown = await lab.exec(node, ['ip', `-${family}`, 'neigh', 'show', lab.addr(peer, family, node), 'dev', `to-${peer}`]);
        states.push(`${node}→${peer} IPv${family}: ${String(shown.stdout).trim().split(/\s+/).at(-1) || 'none'}`);
      }
    }
    return states;
  }

  it('delay lines both ways on r1—r2: the routers still resolve each other (ARP, ND); 200 pings at 100/s lose none; iperf3 runs', async () => {
    await lab.fault.delay('r1', 'r2', 10, { backend: 'delay-line' });
    await lab.fault.delay('r2', 'r1', 10, { backend: 'delay-line' });
    await forgetNeighbours();
    // 10 s or more: the entries are learnt again (broadcast ARP) at once; the answering router's
    // entry, learnt from the request, goes stale → delay → probe (unicast ARP) 5 s later and
    // must be confirmed then, or it fails about 3 s after that
    const long = await lab.exec('client', ['ping', '-4', '-n', '-q', '-c', '1000', '-i', '0.01', '-W', '2', lab.addr('server')], { reject: false, timeoutMs: 40_000 });
    expect(parsePingSummary(String(long.stdout)).received, `${String(long.stdout)}\n${(await neighbourStates()).join('\n')}`).toBe(1000);
    for (const family of [4, 6] as const) {
      const ping = await lab.exec('client', ['ping', `-${family}`, '-n', '-q', '-c', '200', '-i', '0.01', '-W', '2', lab.addr('server', family)], { reject: false });
      expect(parsePingSummary(String(ping.stdout)).received, `IPv${family}: ${String(ping.stdout)}`).toBe(200);
    }
    const run = await measureThroughput(lab, 'client', lab.addr('server'), { port: IPERF3_PORT, seconds: 2 });
    expect(run.receivedBitsPerSecond).toBeGreaterThan(50e6);
    for (const state of await neighbourStates()) expect(state).toMatch(/REACHABLE|STALE|DELAY|PROBE$/);
  });

  it('loss and delay lines on one link: 3 % on r1→r2 with 10 ms each way is applied once per packet', async () => {
    await lab.fault.delay('r1', 'r2', 10, { backend: 'delay-line' });
    await lab.fault.delay('r2', 'r1', 10, { backend: 'delay-line' });
    await forgetNeighbours();
    const fault = await lab.fault.loss('r1', 'r2', 3);
    expect(fault.measured?.expectedRatio).toBeCloseTo(0.03, 10);

    // Echo requests client → server as r2's loss chain sees them: every packet enters prerouting
    // twice in r2, from to-r1 and again from the delay line (dlN); the loss rule, between the two
    // counters, must act on the first pass only.
    const count = async (position: 'insert' | 'add', words: string[]) => {
      const added = await lab.exec('r2', ['nft', '--echo', '--handle', position, 'rule', 'inet', 'pswlab', 'loss', ...words, 'icmp', 'type', 'echo-request', 'counter']);
      return Number(/# handle (\d+)/.exec(String(added.stdout))?.[1]);
    };
    const counters = { allPasses: await count('insert', []), fromR1: await count('insert', ['iifname', '"to-r1"']), pastLoss: await count('add', ['iifname', '"to-r1"']) };
    try {
      // 2000 pings, 200 per second (ten in flight across the 20 ms RTT; a flood ping would take 36 s)
      const ping = await lab.exec('client', ['ping', '-4', '-n', '-q', '-c', '2000', '-i', '0.005', '-W', '2', lab.addr('server')], { reject: false, timeoutMs: 40_000 });
      const summary = parsePingSummary(String(ping.stdout));
      const measured = { sent: summary.transmitted, received: summary.received };
      const lost = measured.sent - measured.received;
      const bounds = binomialAcceptance(measured.sent, 0.03, TOLERANCE.lossAlpha);
      const chain = String((await lab.exec('r2', ['nft', '--handle', 'list', 'chain', 'inet', 'pswlab', 'loss'])).stdout);
      const packets = (handle: number) => Number(new RegExp(`counter packets (\\d+) bytes \\d+ # handle ${handle}\\b`).exec(chain)?.[1]);
      const seen = { allPasses: packets(counters.allPasses), fromR1: packets(counters.fromR1), pastLoss: packets(counters.pastLoss) };
      const detail = JSON.stringify({ sent: measured.sent, lost, bounds, seen, neighbours: await neighbourStates() });
      expect(lost, detail).toBeGreaterThanOrEqual(bounds.low);
      expect(lost, detail).toBeLessThanOrEqual(bounds.high);
      // exactly the requests the loss rule dropped are missing: nothing else on the path loses any
      expect(seen.fromR1, detail).toBe(measured.sent);
      expect(seen.fromR1 - seen.pastLoss, detail).toBe(lost);
      // and the survivors' second pass, out of the delay line, met no loss rule
      expect(seen.allPasses, detail).toBe(seen.fromR1 + seen.pastLoss);
    } finally {
      for (const handle of Object.values(counters)) await lab.exec('r2', ['nft', 'delete', 'rule', 'inet', 'pswlab', 'loss', 'handle', String(handle)], { reject: false });
    }
  });

  it('lower MTU: 1400 on r1—r2 is found exactly by tracepath and by DF pings, IPv4 and IPv6', async () => {
    const fault = await lab.fault.mtu('r1', 'r2', 1400);
    expect(fault.measured?.map((m) => m.tracepathMtu)).toEqual([1400, 1400]);
    for (const family of [4, 6] as const) {
      const server = lab.addr('server', family);
      expect((await measureTracepath(lab, 'client', server)).pmtu).toBe(1400);
      expect((await probePacketSize(lab, 'client', server, 1400)).passed).toBe(true);
      const oversize = await probePacketSize(lab, 'client', server, 1401);
      expect(oversize.passed).toBe(false);
      expect(oversize.reportedMtu).toBe(1400);
    }
    await fault.remove();
    expect((await measureTracepath(lab, 'client', lab.addr('server'))).pmtu).toBe(1500);
  });

  it('PMTU black hole: 1400 on r1—r2 with frag-needed dropped; big packets vanish without a word', async () => {
    const fault = await lab.fault.mtu('r1', 'r2', 1400, { blackhole: true });
    expect(fault.measured?.every((m) => m.oversizeReportedMtu === null)).toBe(true);
    await Promise.all(
      ([4, 6] as const).map(async (family) => {
        const server = lab.addr('server', family);
        expect((await probePacketSize(lab, 'client', server, 1400)).passed).toBe(true);
        const oversize = await probePacketSize(lab, 'client', server, 1500);
        expect(oversize.passed).toBe(false);
        expect(oversize.reportedMtu).toBeNull();
      }),
    );
  });

  it('self-check: an MTU that was put back behind the lab’s back is reported', async () => {
    const fault = await lab.fault.mtu('r2', 'mid', 1300);
    await lab.exec('r2', ['ip', 'link', 'set', 'dev', 'to-mid', 'mtu', '1500']);
    await lab.exec('mid', ['ip', 'link', 'set', 'dev', 'to-r2', 'mtu', '1500']);
    await expect(fault.verify()).rejects.toThrow(LabVerificationError);
  });

  it('window-limited host: 64 kB TCP buffers on server cap a 20 ms RTT path near window/RTT', async () => {
    await lab.fault.delay('r1', 'r2', 10);
    await lab.fault.delay('r2', 'r1', 10);
    const rtt = (await measureRtt(lab, 'client', lab.addr('server'))).minMs / 1000;
    const open = await measureThroughput(lab, 'client', lab.addr('server'), { port: IPERF3_PORT, seconds: 2 });
    const fault = await lab.fault.windowLimit('server', { rmemMax: 65_536, wmemMax: 65_536 });
    expect(fault.measured?.maxReceiveBuffer).toBeLessThanOrEqual(65_536);
    expect(fault.measured?.maxSendBuffer).toBeLessThanOrEqual(65_536);
    // sockets accepted by a listener opened before the limit keep the old buffers: use a new server
    const limitedServer = await lab.startIperf3Server('server', IPERF3_PORT + 1);
    const limited = await measureThroughput(lab, 'client', lab.addr('server'), { port: IPERF3_PORT + 1, seconds: 2 });
    await limitedServer.stop();
    const ceiling = (65_536 * 8) / rtt;
    expect(limited.receivedBitsPerSecond).toBeLessThanOrEqual(ceiling * 1.1);
    expect(limited.receivedBitsPerSecond).toBeGreaterThan(ceiling * 0.2);
    expect(open.receivedBitsPerSecond).toBeGreaterThan(2 * limited.receivedBitsPerSecond);
  });

  it('leaves nothing behind after down', async () => {
    const id = lab.id;
    const warden = lab.wardenPid;
    await lab.down();
    expect(warden).not.toBeNull();
    expect(leftovers(id, [...pids, warden ?? 0])).toEqual([]);
  });
});

describeLab('route changes (asymmetric: return path via r3)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await Lab.up('asymmetric');
    await lab.startIperf3Server('server', IPERF3_PORT);
  });

  afterAll(async () => {
    await lab?.down();
  });

  it('switches the return path in the middle of a ping run: reply TTL goes 61 → 62, at most one reply lost', async () => {
    const ping = lab.exec('client', ['ping', '-n', '-c', '40', '-i', '0.05', lab.addr('server')], { reject: false });
    const change = await lab.route.changeAfter(1000, { at: 'r2', dest: 'client', via: 'r1' });
    const ttls = parsePingTtls(String((await ping).stdout));
    expect(ttls.length).toBeGreaterThanOrEqual(39);
    const switchAt = ttls.indexOf(62);
    expect(switchAt).toBeGreaterThan(5);
    expect(ttls.slice(0, switchAt).every((t) => t === 61)).toBe(true);
    expect(ttls.slice(switchAt).every((t) => t === 62)).toBe(true);
    expect((await measureTraceroute(lab, 'server', lab.addr('client'))).map((h) => lab.nodeOf(h.address ?? ''))).toEqual(['r2', 'r1', 'client']);
    await change.revert();
    expect((await measureTraceroute(lab, 'server', lab.addr('client', 6))).map((h) => lab.nodeOf(h.address ?? ''))).toEqual(['r2', 'r3', 'r1', 'client']);
  });

  it('moves the forward path onto r3 during a throughput run; the transfer carries on', async () => {
    const transfer = measureThroughput(lab, 'client', lab.addr('server', 6), { port: IPERF3_PORT, seconds: 2 });
    const change = await lab.route.changeAfter(800, { at: 'r1', dest: 'server', via: 'r3' });
    const result = await transfer;
    expect(result.receivedBitsPerSecond).toBeGreaterThan(50e6);
    expect(lab.path('client', 'server')).toEqual(['client', 'r1', 'r3', 'r2', 'server']);
    for (const family of [4, 6] as const) {
      const hops = await measureTraceroute(lab, 'client', lab.addr('server', family));
      expect(hops.map((h) => lab.nodeOf(h.address ?? ''))).toEqual(['r1', 'r3', 'r2', 'server']);
    }
    await change.revert();
    expect((await measureTraceroute(lab, 'client', lab.addr('server'))).length).toBe(3);
  });

  it('refuses a change that would loop', async () => {
    // r2 reaches client via r3, so r3 → r2 for client would bounce between them
    await expect(lab.route.change({ at: 'r3', dest: 'client', via: 'r2' })).rejects.toThrow(/loop/i);
    expect(lab.path('server', 'client')).toEqual(['server', 'r2', 'r3', 'r1', 'client']);
    const hops = await measureTraceroute(lab, 'server', lab.addr('client'));
    expect(hops.map((h) => lab.nodeOf(h.address ?? ''))).toEqual(['r2', 'r3', 'r1', 'client']);
  });
});
