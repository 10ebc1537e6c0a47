import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iperf3Args } from '../../electron/core/measure/iperf3/args.ts';
import { classifyIperf3Error } from '../../electron/core/measure/iperf3/errors.ts';
import { JsonStreamAssembler, parseSsOutput } from '../../electron/core/measure/iperf3/live.ts';
import { interpretIperf3, Iperf3ParseError, liveSumInterval, parseIperf3Json } from '../../electron/core/measure/iperf3/report.ts';
import { parseIperf3TextIntervals } from '../../electron/core/measure/iperf3/text.ts';
import { ThroughputOptions, type ThroughputInterval } from '../../electron/shared/throughput.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/iperf3/${name}`, import.meta.url), 'utf8');
const report = (name: string) => interpretIperf3(parseIperf3Json(fixture(name)));
const sums = (r: ReturnType<typeof report>) => r.intervals.filter((i) => i.stream === -1);

describe('iperf3 argv', () => {
  const options = ThroughputOptions.parse({});
  it('puts every value in its own element and never a shell string', () => {
    const args = iperf3Args({ host: '198.18.0.2', port: 5201, options, jsonStream: false });
    expect(args.slice(0, 5)).toEqual(['--client', '198.18.0.2', '--port', '5201', '--json']);
    expect(args).toContain('--get-server-output');
    expect(args.every((a) => !a.includes(' '))).toBe(true);
  });
  it('maps every option', () => {
    const all = ThroughputOptions.parse({ protocol: 'udp', duration: 5, parallel: 4, reverse: true, family: '6', bitrate: 100_000_000, window: 4194304, congestion: 'bbr', omit: 2 });
    const args = iperf3Args({ host: '2001:db8::2', port: 5301, options: all, jsonStream: true });
    expect(args).toEqual([
      '--client', '2001:db8::2', '--port', '5301', '--json-stream', '--time', '5', '--interval', '1', '--get-server-output',
      '--connect-timeout', '5000', '--parallel', '4', '--reverse', '-6', '--udp', '--bitrate', '100000000', '--window', '4194304',
      '--congestion', 'bbr', '--omit', '2',
    ]);
  });
  it('refuses option-like hosts even if validation upstream was bypassed', () => {
    expect(() => iperf3Args({ host: '-ofoo', port: 5201, options, jsonStream: false })).toThrow(/option/);
    expect(() => iperf3Args({ host: 'a b', port: 5201, options, jsonStream: false })).toThrow();
  });
  it('the options schema bounds every field', () => {
    expect(ThroughputOptions.safeParse({ congestion: '--evil' }).success).toBe(false);
    expect(ThroughputOptions.safeParse({ duration: 0 }).success).toBe(false);
    expect(ThroughputOptions.safeParse({ parallel: 1000 }).success).toBe(false);
    expect(ThroughputOptions.safeParse({ extra: 1 }).success).toBe(false);
  });
});

describe('iperf3 JSON (3.12 fixtures from real runs)', () => {
  it('TCP forward: client is the sender, TCP stats per interval', () => {
    const r = report('tcp-3.12.json');
    expect(r.version).toBe('iperf 3.12');
    expect(r.error).toBeNull();
    const s = sums(r);
    expect(s).toHaveLength(3);
    expect(s.every((i) => i.rtt !== null && i.cwnd !== null && i.retransmits !== null && i.pmtu !== null)).toBe(true);
    expect(r.summary?.protocol).toBe('tcp');
    expect(r.summary?.reverse).toBe(false);
    expect(r.summary?.sentBitsPerSecond).toBeGreaterThan(1e9);
    expect(r.summary?.minRtt).toBeGreaterThan(0);
    expect(r.summary?.family).toBe('4');
    const total = s.reduce((a, i) => a + i.bytes, 0);
    expect(total).toBeGreaterThan(0.9 * (r.summary?.sentBytes ?? 0));
  });

  it('TCP reverse against a text-mode server: retransmits and cwnd come from the server text', () => {
    const r = report('tcp-reverse-text-server-3.12.json');
    const s = sums(r);
    expect(r.summary?.reverse).toBe(true);
    expect(s.length).toBeGreaterThanOrEqual(3);
    expect(s[0]?.retransmits).not.toBeNull();
    expect(s[0]?.cwnd).toBeGreaterThan(1000);
    expect(s[0]?.rtt).toBeNull();
    expect(r.summary?.retransmits).not.toBeNull();
  });

  it('TCP reverse against a JSON-mode server: the sender rtt is kept', () => {
    const r = report('tcp-reverse-json-server-3.12.json');
    const s = sums(r);
    expect(s[0]?.rtt).toBeGreaterThan(0);
    expect(s[0]?.cwnd).toBeGreaterThan(1000);
    expect(r.summary?.meanRtt).toBeGreaterThan(0);
    expect(r.summary?.maxCwnd).toBeGreaterThan(1000);
  });

  it('UDP forward: receiver jitter and loss come from the server (text and JSON)', () => {
    for (const name of ['udp-text-server-3.12.json', 'udp-json-server-3.12.json']) {
      const r = report(name);
      const s = sums(r);
      expect(r.summary?.protocol, name).toBe('udp');
      expect(r.summary?.lostPercent, name).not.toBeNull();
      expect(s[0]?.jitterMs, name).not.toBeNull();
      expect(s[0]?.packets, name).toBeGreaterThan(0);
      expect(s[0]?.retransmits, name).toBeNull();
    }
  });

  it('parallel streams: one sum plus one row per stream, omitted intervals flagged', () => {
    const r = report('tcp-parallel-omit-3.12.json');
    const perStream = r.intervals.filter((i) => i.stream >= 0);
    expect(new Set(perStream.map((i) => i.stream))).toEqual(new Set([0, 1, 2]));
    expect(sums(r).some((i) => i.omitted)).toBe(true);
    expect(r.summary?.streams).toBe(3);
    const first = sums(r)[0];
    const streamsOfFirst = perStream.filter((i) => i.seq === first?.seq);
    expect(streamsOfFirst.reduce((a, i) => a + (i.cwnd ?? 0), 0)).toBe(first?.cwnd);
  });

  it('errors: refused and busy keep the error text and no summary', () => {
    const refused = report('refused-3.12.json');
    expect(refused.error).toMatch(/Connection refused/);
    expect(refused.summary).toBeNull();
    expect(classifyIperf3Error(refused.error ?? '').code).toBe('CONNECTION_REFUSED');
    const busy = report('busy-3.12.json');
    expect(classifyIperf3Error(busy.error ?? '').code).toBe('SERVER_BUSY');
  });

  it('classifies the other failures iperf3 reports', () => {
    expect(classifyIperf3Error('unable to connect to server: No route to host').code).toBe('NO_ROUTE');
    expect(classifyIperf3Error('unable to connect to server: Network is unreachable').code).toBe('NO_ROUTE');
    expect(classifyIperf3Error('unable to connect to server: Connection timed out').code).toBe('TIMEOUT');
    expect(classifyIperf3Error('something odd').code).toBe('TOOL_FAILED');
    expect(classifyIperf3Error('x'.repeat(5000)).message.length).toBeLessThan(400);
  });

  it('rejects output that is not JSON or has the wrong shape, without throwing anything else', () => {
    expect(() => parseIperf3Json('iperf3: error')).toThrow(Iperf3ParseError);
    expect(() => parseIperf3Json('{"intervals": "many"}')).toThrow(Iperf3ParseError);
    expect(() => parseIperf3Json('{"intervals": [{"streams": [{"start": "0"}]}]}')).toThrow(Iperf3ParseError);
    expect(() => parseIperf3Json(fixture('tcp-3.12.json').slice(0, 2000))).toThrow(Iperf3ParseError);
  });

  it('a hostile server_output_json cannot break the client report', () => {
    const doc = JSON.parse(fixture('tcp-reverse-json-server-3.12.json')) as Record<string, unknown>;
    doc.server_output_json = { intervals: [{ streams: 'nope' }], end: 42 };
    const r = interpretIperf3(parseIperf3Json(JSON.stringify(doc)));
    expect(sums(r).length).toBeGreaterThan(0);
    expect(sums(r)[0]?.rtt).toBeNull();
  });
});

describe('iperf3 --json-stream (3.21 fixtures from real runs)', () => {
  it('assembles the event stream into the -J document and yields live intervals', () => {
    const assembler = new JsonStreamAssembler();
    const live: ThroughputInterval[] = [];
    for (const line of fixture('stream-tcp-3.21.jsonl').split('\n')) {
      const data = assembler.push(line);
      const interval = data ? liveSumInterval(data, live.length) : null;
      if (interval) live.push(interval);
    }
    expect(live).toHaveLength(3);
    expect(live[0]?.rtt).toBeGreaterThan(0);
    const r = interpretIperf3(assembler.document());
    expect(sums(r)).toHaveLength(3);
    expect(r.summary?.sentBitsPerSecond).toBeGreaterThan(1e9);
    expect(assembler.garbageLines).toBe(0);
  });

  it('reverse stream picks up the server output event', () => {
    const assembler = new JsonStreamAssembler();
    for (const line of fixture('stream-tcp-reverse-3.21.jsonl').split('\n')) assembler.push(line);
    const r = interpretIperf3(assembler.document());
    expect(r.summary?.reverse).toBe(true);
    expect(sums(r)[0]?.retransmits).not.toBeNull();
  });

  it('an error event becomes the report error; garbage lines are counted, not fatal', () => {
    const assembler = new JsonStreamAssembler();
    for (const line of [...fixture('stream-refused-3.21.jsonl').split('\n'), 'garbage{', '{"event":5}']) assembler.push(line);
    expect(assembler.document().error).toMatch(/Connection refused/);
    expect(assembler.garbageLines).toBe(2);
  });
});

describe('iperf3 text intervals', () => {
  it('parses TCP sender lines with retransmits and cwnd, stops at the summary', () => {
    const text = `Accepted connection from 127.0.0.1, port 39852
[  5] local 127.0.0.1 port 5996 connected to 127.0.0.1 port 39858
[ ID] Interval           Transfer     Bitrate         Retr  Cwnd
[  5]   0.00-1.00   sec  2.42 GBytes  20.7 Gbits/sec    9    895 KBytes
[  5]   1.00-2.00   sec  2.79 GBytes  24.0 Gbits/sec    5   1.12 MBytes       (omitted)
- - - - - - - - - - - - - - - - - - - - - - - - -
[  5]   0.00-2.00   sec  5.22 GBytes  22.4 Gbits/sec   14             sender`;
    const rows = parseIperf3TextIntervals(text, 'tcp');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ stream: 5, start: 0, end: 1, retransmits: 9, cwnd: 895 * 1024, bitsPerSecond: 20.7e9, omitted: false });
    expect(rows[1]).toMatchObject({ retransmits: 5, cwnd: Math.round(1.12 * 1024 * 1024), omitted: true });
  });
  it('parses UDP receiver lines and SUM lines', () => {
    const text = `[  5]   0.00-1.00   sec  3.58 MBytes  30.0 Mbits/sec  0.008 ms  2/115 (1.7%)
[SUM]   0.00-1.00   sec  7.16 MBytes  60.0 Mbits/sec  0.010 ms  3/230 (1.3%)
[  5]   1.00-2.00   sec  3.58 MBytes  30.0 Mbits/sec  115`;
    const rows = parseIperf3TextIntervals(text, 'udp');
    expect(rows[0]).toMatchObject({ jitterMs: 0.008, lostPackets: 2, packets: 115 });
    expect(rows[1]?.stream).toBe('SUM');
    expect(rows[2]).toMatchObject({ packets: 115, retransmits: null });
  });
  it('ignores garbage and hostile lines', () => {
    const rows = parseIperf3TextIntervals(`[  5] \u001b[2J 0.00-1.00 sec\n${'A'.repeat(10000)}\n[ 5] 1-2 sec x Bytes`, 'tcp');
    expect(rows).toEqual([]);
  });
});

describe('ss sampling', () => {
  it('parses per-socket TCP info and the owning pid', () => {
    const text = `0      0       127.0.0.1:32952 127.0.0.1:5999 users:(("iperf3",pid=4242,fd=5))
\t bbr wscale:10,10 rto:204 rtt:0.039/0.018 ato:40 mss:32768 pmtu:65535 cwnd:13 bytes_sent:164 bytes_acked:165 bytes_received:4 minrtt:0.01 snd_wnd:65536
0      3030440 127.0.0.1:32966 127.0.0.1:5999 users:(("iperf3",pid=4242,fd=6))
\t bbr wscale:10,10 rto:204 rtt:0.249/0.275 mss:65483 pmtu:65535 cwnd:40 ssthresh:12 bytes_sent:4034460302 bytes_retrans:1506851 bytes_acked:4032676478 retrans:0/24 minrtt:0.003
0      0       127.0.0.1:40000 127.0.0.1:22 users:(("ssh",pid=77,fd=3))
\t cubic rtt:1.5/0.7 mss:1448 cwnd:10 bytes_acked:100 bytes_received:200`;
    const sockets = parseSsOutput(text);
    expect(sockets).toHaveLength(3);
    expect(sockets[1]).toMatchObject({ pid: 4242, bytesAcked: 4032676478, retransTotal: 24, rttMs: 0.249, rttVarMs: 0.275, cwndBytes: 40 * 65483, pmtu: 65535 });
    expect(sockets[2]?.pid).toBe(77);
  });
});
