import { describe, expect, it } from 'vitest';
import { PingReply, RttSummary } from '../../electron/shared/path.ts';
import { detectPingFormat, parsePing, parsePingLine, summarizePing } from '../../electron/core/measure/ping/parse.ts';
import { assertClean, fixture, fixtureStderr, SERVER, SERVER6 } from './trace-fixtures.ts';

const statuses = (replies: PingReply[]) => replies.map((r) => `${r.seq}:${r.status}`);

describe('Linux iputils ping (real output)', () => {
  it('replies, statistics and the summary', () => {
    const parse = parsePing(fixture('linux/ping-3hop'));
    expect(parse.format).toBe('iputils');
    expect(parse.targetAddress).toBe(SERVER);
    expect(parse.payloadBytes).toBe(56);
    expect(statuses(parse.replies)).toEqual(['1:reply', '2:reply', '3:reply', '4:reply', '5:reply']);
    expect(parse.replies.every((r) => r.ttl === 62 && r.bytes === 64 && r.from === SERVER)).toBe(true);
    expect(parse.stats).toMatchObject({ transmitted: 5, received: 5, lossPercent: 0 });
    const summary = summarizePing(parse);
    expect(RttSummary.safeParse(summary).success).toBe(true);
    expect(summary).toMatchObject({ family: '4', sent: 5, received: 5, lossPercent: 0, errors: 0, ttl: 62 });
    const rtts = parse.replies.map((r) => r.rttMs as number).sort((a, b) => a - b);
    expect(summary.minMs).toBe(rtts[0]);
    expect(summary.maxMs).toBe(rtts[4]);
    expect(summary.p50Ms).toBe(rtts[2]);
    expect(summary.stdevMs).toBe(parse.stats?.stdevMs);
  });

  it('IPv6 header and replies', () => {
    const parse = parsePing(fixture('linux/ping-ipv6'));
    expect(parse.targetAddress).toBe(SERVER6);
    expect(parse.replies).toHaveLength(3);
    expect(summarizePing(parse).family).toBe('6');
  });

  it('lost packets are the icmp_seq gaps, up to the transmitted count', () => {
    const parse = parsePing(fixture('linux/ping-forward-loss'));
    const summary = summarizePing(parse);
    expect(parse.replies).toHaveLength(20);
    expect(summary.sent).toBe(20);
    expect(summary.received).toBe(parse.stats?.received);
    expect(summary.lossPercent).toBe(parse.stats?.lossPercent);
    expect(parse.replies.filter((r) => r.status === 'timeout').length).toBe(20 - (parse.stats?.received ?? 0));
  });

  it('no reply at all: 100 % loss, every packet a timeout', () => {
    const parse = parsePing(fixture('linux/ping-no-reply'));
    expect(statuses(parse.replies)).toEqual(['1:timeout', '2:timeout', '3:timeout']);
    expect(summarizePing(parse)).toMatchObject({ sent: 3, received: 0, lossPercent: 100, minMs: null, p95Ms: null });
  });

  it('"From … Destination Host Unreachable" are errors from the router', () => {
    const parse = parsePing(fixture('linux/ping-host-unreach'));
    expect(parse.replies.map((r) => [r.status, r.from, r.message])).toEqual([
      ['error', '198.18.2.2', 'Destination Host Unreachable'],
      ['error', '198.18.2.2', 'Destination Host Unreachable'],
    ]);
    expect(parse.stats?.errors).toBe(2);
  });

  it('DF too big: the router\'s "Frag needed (mtu = 1400)", then the kernel\'s local error from stderr', () => {
    const parse = parsePing(fixture('linux/ping-df-1472-mtu-1400'), { stderr: fixtureStderr('linux/ping-df-1472-mtu-1400') });
    expect(parse.replies.map((r) => [r.seq, r.status, r.mtu, r.from])).toEqual([
      [1, 'error', 1400, '198.18.2.2'],
      [2, 'error', 1400, null],
    ]);
    const local = parsePing(fixture('linux/ping-df-1373-mtu-1400'), { stderr: fixtureStderr('linux/ping-df-1373-mtu-1400') });
    expect(local.replies.every((r) => r.status === 'error' && r.mtu === 1400)).toBe(true);
    expect(parsePing(fixture('linux/ping-df-1372-mtu-1400')).replies.every((r) => r.status === 'reply' && r.bytes === 1380)).toBe(true);
  });

  it('-O "no answer yet", duplicates and names', () => {
    const text = [
      'PING localhost (127.0.0.1) 56(84) bytes of data.',
      '64 bytes from localhost (127.0.0.1): icmp_seq=1 ttl=64 time=0.024 ms',
      'no answer yet for icmp_seq=2',
      '64 bytes from localhost (127.0.0.1): icmp_seq=3 ttl=64 time=0.030 ms',
      '64 bytes from localhost (127.0.0.1): icmp_seq=3 ttl=64 time=0.031 ms (DUP!)',
      '',
      '--- localhost ping statistics ---',
      '3 packets transmitted, 2 received, +1 duplicates, 33.3333% packet loss, time 2003ms',
      'rtt min/avg/max/mdev = 0.024/0.028/0.031/0.003 ms',
    ].join('\n');
    const parse = parsePing(text);
    expect(parse.problems).toEqual([]);
    expect(parse.target).toBe('localhost');
    expect(statuses(parse.replies)).toEqual(['1:reply', '2:timeout', '3:reply', '3:duplicate']);
    expect(summarizePing(parse)).toMatchObject({ sent: 3, received: 2, duplicates: 1, lossPercent: 33.333 });
  });
});

describe('macOS ping and ping6 (documented format)', () => {
  it('timeouts, duplicates, statistics', () => {
    const parse = parsePing(fixture('macos/ping'));
    expect(parse.format).toBe('bsd');
    expect(statuses(parse.replies)).toEqual(['0:reply', '1:reply', '2:timeout', '3:reply', '3:duplicate']);
    expect(summarizePing(parse)).toMatchObject({ sent: 4, received: 3, duplicates: 1, lossPercent: 25, stdevMs: 1.58, ttl: 53 });
  });

  it('ping6 with hlim', () => {
    const parse = parsePing(fixture('macos/ping6'));
    expect(parse.targetAddress).toBe('2001:db8:ffff::fffc');
    expect(parse.replies.map((r) => r.ttl)).toEqual([62, 62, 62]);
    expect(parse.problems).toEqual([]);
  });

  it('unreachable replies with their header dumps', () => {
    const parse = parsePing(fixture('macos/ping-unreachable'));
    expect(parse.problems).toEqual([]);
    expect(parse.replies.map((r) => [r.status, r.from])).toEqual([
      ['error', '198.51.100.1'],
      ['timeout', null],
      ['error', '198.51.100.1'],
    ]);
  });

  it('DF: "Frag needed and DF set (MTU 1400)" and a local "Message too long"', () => {
    expect(parsePing(fixture('macos/ping-df-frag')).replies[0]).toMatchObject({ status: 'error', mtu: 1400, from: '198.51.100.1' });
    const local = parsePing(fixture('macos/ping-df-local'), { stderr: fixtureStderr('macos/ping-df-local') });
    expect(local.replies.filter((r) => r.status === 'error' && r.message === 'sendto: Message too long')).toHaveLength(2);
  });
});

describe('Windows ping (documented format, CRLF)', () => {
  it('replies, "<1ms", timeouts; Windows counts unreachable replies as received, we do not', () => {
    const parse = parsePing(fixture('windows/ping'));
    expect(parse.format).toBe('windows');
    expect(parse.target).toBe('www.example.net');
    expect(parse.targetAddress).toBe('203.0.113.80');
    expect(parse.replies.map((r) => [r.seq, r.status, r.rttMs])).toEqual([
      [1, 'reply', 14],
      [2, 'reply', 0.5],
      [3, 'timeout', null],
      [4, 'reply', 15],
    ]);
    expect(summarizePing(parse)).toMatchObject({ sent: 4, received: 3, lossPercent: 25, ttl: 117 });
    const unreachable = parsePing(fixture('windows/ping-unreachable'));
    expect(unreachable.stats?.received).toBe(3);
    expect(summarizePing(unreachable)).toMatchObject({ sent: 4, received: 0, errors: 3, lossPercent: 100 });
  });

  it('IPv6 replies carry no TTL or byte count', () => {
    const parse = parsePing(fixture('windows/ping-ipv6'));
    expect(parse.replies.every((r) => r.from === '::1' && r.ttl === null && r.rttMs === 0.5)).toBe(true);
  });

  it('"Packet needs to be fragmented but DF set."', () => {
    const parse = parsePing(fixture('windows/ping-df'));
    expect(parse.replies.map((r) => r.status)).toEqual(['error', 'error', 'error']);
    expect(parse.replies[2]?.from).toBe('198.51.100.1');
  });
});

describe('ping: detection, streaming lines, garbage', () => {
  it('detects each format', () => {
    expect(detectPingFormat(fixture('linux/ping-3hop'))).toBe('iputils');
    expect(detectPingFormat(fixture('macos/ping'))).toBe('bsd');
    expect(detectPingFormat(fixture('macos/ping6'))).toBe('bsd');
    expect(detectPingFormat(fixture('windows/ping'))).toBe('windows');
  });

  it('parsePingLine reads replies and ignores statistics (no invented timeouts)', () => {
    expect(parsePingLine('64 bytes from 127.0.0.1: icmp_seq=7 ttl=64 time=0.031 ms', 'iputils')).toMatchObject({ seq: 7, status: 'reply', rttMs: 0.031 });
    expect(parsePingLine('3 packets transmitted, 0 received, 100% packet loss, time 2003ms', 'iputils')).toBeNull();
    expect(parsePingLine('PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.', 'iputils')).toBeNull();
    expect(parsePingLine('Request timed out.', 'windows')).toMatchObject({ status: 'timeout' });
  });

  it('garbage and hostile text never throws and stays clean', () => {
    for (const junk of ['', 'garbage', '\u0000\u0007\u001b[2J', `64 bytes from ${'1'.repeat(10_000)}: icmp_seq=1 ttl=64 time=1 ms`, 'From -rf icmp_seq=1 Destination Host Unreachable\u001b]0;x\u0007', '999999999999 packets transmitted, 1 received, 0% packet loss']) {
      for (const format of ['iputils', 'bsd', 'windows'] as const) {
        const parse = parsePing(junk, { format });
        assertClean(parse);
        for (const r of parse.replies) expect(PingReply.safeParse(r).success).toBe(true);
        expect(() => summarizePing(parse)).not.toThrow();
      }
    }
    expect(parsePing(undefined).problems).toEqual(['the output is not text']);
  });

  it('a truncated run keeps the replies it has', () => {
    const full = fixture('linux/ping-3hop');
    const parse = parsePing(full.slice(0, full.indexOf('icmp_seq=4')));
    expect(parse.replies.filter((r) => r.status === 'reply')).toHaveLength(3);
    expect(parse.stats).toBeNull();
    expect(parse.problems).toHaveLength(1); // the cut line "64 bytes from 198.18.9.1: "
    expect(summarizePing(parse)).toMatchObject({ sent: 3, received: 3, lossPercent: 0 });
  });
});
