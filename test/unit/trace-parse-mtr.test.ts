import { describe, expect, it } from 'vitest';
import { PathTrace } from '../../electron/shared/path.ts';
import { parseMtrJson, parseMtrReport } from '../../electron/core/measure/trace/parse-mtr.ts';
import { addresses, assertClean, fixture, SERVER, SERVER6 } from './trace-fixtures.ts';

describe('mtr --json (real output, mtr 0.95)', () => {
  it('three hops with loss, counts and RTT statistics', () => {
    const trace = parseMtrJson(fixture('linux/mtr-json-3hop'));
    expect(trace.format).toBe('mtr-json');
    expect(trace.targetAddress).toBe(SERVER);
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', SERVER]);
    expect(trace.hops.map((h) => [h.sent, h.received, h.lossPercent])).toEqual([
      [5, 5, 0],
      [5, 5, 0],
      [5, 5, 0],
    ]);
    const rtt = trace.hops[2]?.rtt;
    expect(rtt?.best).toBeLessThanOrEqual(rtt?.avg ?? -1);
    expect(rtt?.avg).toBeLessThanOrEqual(rtt?.worst ?? -1);
    expect(trace.hops[0]?.probes).toEqual([]);
    expect(trace.reached).toBe(true);
    expect(PathTrace.safeParse(trace).success).toBe(true);
  });

  it('IPv6', () => {
    const trace = parseMtrJson(fixture('linux/mtr-json-ipv6'));
    expect(trace.targetAddress).toBe(SERVER6);
    expect(addresses(trace)).toEqual(['2001:db8:1::1', '2001:db8:2::2', SERVER6]);
  });

  it('rate limiting at R2a: 65 % at hop 2, none at the destination', () => {
    const trace = parseMtrJson(fixture('linux/mtr-json-ratelimit'));
    expect(trace.hops.map((h) => h.lossPercent)).toEqual([0, 65, 0]);
    expect(trace.hops[1]).toMatchObject({ sent: 20, received: 7 });
  });

  it('forwarding loss from R1 on shows at hop 2 and the destination', () => {
    const trace = parseMtrJson(fixture('linux/mtr-json-forward-loss'));
    const [h1, h2, h3] = trace.hops;
    expect(h1?.lossPercent).toBe(0);
    expect(h2?.lossPercent).toBeGreaterThan(10);
    expect(h3?.lossPercent).toBeGreaterThan(10);
  });

  it('"???" is a hop that never answered', () => {
    const silent = parseMtrJson(fixture('linux/mtr-json-silent-hop'));
    expect(addresses(silent)).toEqual(['*', '198.18.2.2', SERVER]);
    expect(silent.hops[0]).toMatchObject({ lossPercent: 100, received: 0, rtt: null });
    const noReply = parseMtrJson(fixture('linux/mtr-json-no-reply'));
    expect(addresses(noReply)).toEqual(['198.18.1.1', '198.18.2.2', '*']);
    expect(noReply.reached).toBe(false);
  });

  it('reads mtr 0.92 style JSON, where numbers are strings', () => {
    const old = `{"report": {"mtr": {"src": "h", "dst": "192.0.2.9", "tos": "0x0", "psize": "64", "bitpattern": "0x00", "tests": "10"},
      "hubs": [{"count": "1", "host": "192.0.2.1", "Loss%": "10.00", "Snt": "10", "Last": "1.00", "Avg": "1.10", "Best": "0.90", "Wrst": "1.50", "StDev": "0.20"},
               {"count": "2", "host": "192.0.2.9", "Loss%": "0.00", "Snt": "10", "Last": "2.00", "Avg": "2.10", "Best": "1.90", "Wrst": "2.50", "StDev": "0.20"}]}}`;
    const trace = parseMtrJson(old);
    expect(trace.problems).toEqual([]);
    expect(trace.hops.map((h) => [h.ttl, h.lossPercent, h.received])).toEqual([
      [1, 10, 9],
      [2, 0, 10],
    ]);
    expect(trace.reached).toBe(true);
  });

  it('truncated JSON: hubs are recovered line by line', () => {
    const full = fixture('linux/mtr-json-3hop');
    const cut = full.slice(0, full.lastIndexOf('"Wrst"'));
    const trace = parseMtrJson(cut);
    expect(trace.problems[0]).toMatch(/not complete JSON/);
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', SERVER]);
    expect(trace.hops[2]?.rtt?.worst).toBeNull();
  });

  it('a name without an address (mtr run without -n) is a note, not a responder', () => {
    const trace = parseMtrJson('{"report":{"mtr":{"dst":"192.0.2.9"},"hubs":[{"count":1,"host":"gw.example.net","Loss%":0,"Snt":1}]}}');
    expect(trace.hops[0]?.responders).toEqual([]);
    expect(trace.hops[0]?.note).toMatch(/gw\.example\.net/);
    expect(trace.problems.join(' ')).toMatch(/-n/);
  });

  it('hostile JSON: wrong types, out-of-range values, control characters, duplicates, too many hubs', () => {
    const hubs = [
      'null',
      '[]',
      '{"count": 0, "host": "192.0.2.1"}',
      '{"count": 1, "host": "192.0.2.1\\u001b[2J", "Loss%": 250, "Snt": -4}',
      '{"count": 2, "host": {"x": 1}, "Loss%": "NaN"}',
      '{"count": 2, "host": "192.0.2.2"}',
      '{"count": 3.5, "host": "192.0.2.3"}',
      ...Array.from({ length: 400 }, (_, i) => `{"count": ${i + 4}, "host": "192.0.2.4", "Loss%": 0, "Snt": 1}`),
    ];
    const trace = parseMtrJson(`{"report": {"mtr": {"dst": "-rf"}, "hubs": [${hubs.join(',')}]}}`);
    expect(trace.hops.length).toBeLessThanOrEqual(255);
    expect(trace.targetAddress).toBeNull();
    expect(trace.target).toBeNull();
    expect(trace.problems.length).toBeGreaterThan(3);
    for (const h of trace.hops) {
      expect(h.lossPercent === null || (h.lossPercent >= 0 && h.lossPercent <= 100)).toBe(true);
      expect(h.sent).toBeGreaterThanOrEqual(0);
    }
    expect(PathTrace.safeParse(trace).success).toBe(true);
    assertClean(trace);
  });

  it('not JSON at all, and not text at all', () => {
    expect(parseMtrJson('garbage').hops).toEqual([]);
    expect(parseMtrJson('{"report": 5}').problems[0]).toMatch(/not an mtr report/);
    expect(parseMtrJson('[1,2,3]').hops).toEqual([]);
    expect(parseMtrJson(undefined).problems).toEqual(['the output is not text']);
    expect(parseMtrJson(`{"a":${'['.repeat(5000)}`).hops).toEqual([]);
  });
});

describe('mtr --report (real output)', () => {
  it('reads the columns from the HOST line', () => {
    const trace = parseMtrReport(fixture('linux/mtr-report-3hop'), { targetAddress: SERVER });
    expect(trace.format).toBe('mtr-report');
    expect(addresses(trace)).toEqual(['198.18.1.1', '198.18.2.2', SERVER]);
    expect(trace.hops.map((h) => h.sent)).toEqual([5, 5, 5]);
    expect(trace.reached).toBe(true);
    expect(trace.problems).toEqual([]);
  });

  it('ECMP: the continuation line adds the second responder to hop 2', () => {
    const trace = parseMtrReport(fixture('linux/mtr-report-ecmp'), { targetAddress: SERVER });
    expect(trace.hops[1]?.responders.map((r) => r.address).sort()).toEqual(['198.18.2.2', '198.18.4.2']);
    expect(trace.problems).toEqual([]);
  });

  it('rate limiting at hop 2', () => {
    const trace = parseMtrReport(fixture('linux/mtr-report-ratelimit'), { targetAddress: SERVER });
    expect(trace.hops.map((h) => h.lossPercent)).toEqual([0, 65, 0]);
  });

  it('names with addresses, "???", custom columns (-o), old "100.0" loss and the non-wide ECMP form', () => {
    const text = [
      'Start: 2026-01-01T00:00:00+0000',
      'HOST: client                      Loss%   Snt   Rcv  Best   Avg  Wrst',
      '  1.|-- gw.example.net (192.0.2.1)   0.0%    10    10   0.3   0.4   0.6',
      '  2.|-- ???                         100.0    10     0   0.0   0.0   0.0',
      '  3.|-- 192.0.2.3                   20.0%    10     8   1.0   1.2   1.9',
      '    |  `|-- 192.0.2.33',
      '  4.|-- 192.0.2.9                    0.0%    10    10   2.0   2.1   2.5',
    ].join('\n');
    const trace = parseMtrReport(text, { targetAddress: '192.0.2.9' });
    expect(trace.problems).toEqual([]);
    expect(addresses(trace)).toEqual(['192.0.2.1', '*', '192.0.2.3|192.0.2.33', '192.0.2.9']);
    expect(trace.hops[0]?.responders[0]?.name).toBe('gw.example.net');
    expect(trace.hops[2]).toMatchObject({ lossPercent: 20, received: 8, sent: 10 });
    expect(trace.hops[2]?.rtt).toMatchObject({ best: 1, avg: 1.2, worst: 1.9, last: null });
    expect(trace.reached).toBe(true);
  });

  it('truncated and hostile lines are reported, the rest read', () => {
    const full = fixture('linux/mtr-report-3hop');
    const cut = parseMtrReport(full.slice(0, full.lastIndexOf('0.0%') + 2), { targetAddress: SERVER });
    expect(addresses(cut).slice(0, 2)).toEqual(['198.18.1.1', '198.18.2.2']);
    expect(cut.problems.length).toBeGreaterThan(0);
    const hostile = parseMtrReport(`HOST: x Loss% Snt Last Avg Best Wrst StDev\n  1.|-- -e\u001b[31m   0.0% 1 1 1 1 1 1\n${'z'.repeat(20_000)}\n`);
    expect(hostile.hops[0]?.responders).toEqual([]);
    assertClean(hostile);
  });
});
