import { describe, expect, it } from 'vitest';
import { PathTrace } from '../../electron/shared/path.ts';
import { parseTracert } from '../../electron/core/measure/trace/parse-tracert.ts';
import { addresses, assertClean, fixture } from './trace-fixtures.ts';

describe('Windows tracert (documented format, CRLF)', () => {
  it('names with [addresses], "<1 ms", "*" probes and "Request timed out."', () => {
    const text = fixture('windows/tracert-names');
    expect(text.includes('\r\n')).toBe(true);
    const trace = parseTracert(text);
    expect(trace.format).toBe('windows-tracert');
    expect(trace.target).toBe('www.example.net');
    expect(trace.targetAddress).toBe('203.0.113.80');
    expect(trace.maxHops).toBe(30);
    expect(addresses(trace)).toEqual(['192.168.1.1', '10.0.0.1', '*', '198.51.100.5', '203.0.113.80']);
    expect(trace.hops[0]?.responders[0]?.name).toBe('gateway.home.example');
    expect(trace.hops[0]?.probes.map((p) => p.rttMs)).toEqual([0.5, 0.5, 0.5]);
    expect(trace.hops[3]?.probes.map((p) => p.rttMs)).toEqual([12, null, 11]);
    expect(trace.hops[3]).toMatchObject({ sent: 3, received: 2 });
    expect(trace.hops[2]).toMatchObject({ sent: 3, received: 0, note: null });
    expect(trace.reached).toBe(true);
    expect(trace.problems).toEqual([]);
    expect(PathTrace.safeParse(trace).success).toBe(true);
  });

  it('-d output with the one-line header', () => {
    const trace = parseTracert(fixture('windows/tracert-d'));
    expect(trace.targetAddress).toBe('203.0.113.80');
    expect(trace.hops).toHaveLength(4);
    expect(trace.reached).toBe(true);
  });

  it('IPv6', () => {
    const trace = parseTracert(fixture('windows/tracert-ipv6'));
    expect(trace.targetAddress).toBe('2001:db8:ffff::fffc');
    expect(addresses(trace)).toEqual(['2001:db8:1:3afe::', '2001:db8:1:fff3::1', '*', '2001:db8:ffff::fffc']);
  });

  it('"reports: Destination host unreachable." is an answer flagged !H, and not the destination', () => {
    const trace = parseTracert(fixture('windows/tracert-unreachable'));
    expect(addresses(trace)).toEqual(['192.168.1.1', '192.168.1.1']);
    expect(trace.hops[1]).toMatchObject({ flags: ['!H'], received: 1, reached: false });
    expect(trace.hops[1]?.note).toBe('reports: Destination host unreachable.');
    expect(trace.reached).toBe(false);
  });

  it('the local host reporting, after two timed-out probes', () => {
    const trace = parseTracert(fixture('windows/tracert-local-unreachable'));
    const hop = trace.hops[0];
    expect(hop?.responders).toEqual([{ address: '192.168.31.243', name: 'desktop-1', replies: 1 }]);
    expect(hop?.probes.map((p) => p.address)).toEqual([null, null, '192.168.31.243']);
    expect(hop?.flags).toEqual(['!H']);
  });

  it('localised output: hops still read, the unreachable text kept as a note with a bare "!"', () => {
    const trace = parseTracert(fixture('windows/tracert-german'));
    expect(addresses(trace)).toEqual(['192.168.1.1', '*', '198.51.100.1']);
    expect(trace.hops[1]?.note).toBe('Zeitüberschreitung der Anforderung.');
    expect(trace.hops[2]?.flags).toEqual(['!']);
    expect(trace.hops[2]?.note).toBe('meldet: Zielhost nicht erreichbar.');
    expect(trace.problems.length).toBeGreaterThan(0); // the German header and footer
    expect(trace.reached).toBe(false);
  });

  it('garbage, truncation and hostile names', () => {
    const full = fixture('windows/tracert-names');
    const cut = parseTracert(full.slice(0, full.indexOf('  4 ') + 20));
    expect(addresses(cut).slice(0, 3)).toEqual(['192.168.1.1', '10.0.0.1', '*']);
    expect(cut.reached).toBe(false);
    for (const junk of ['', 'Unable to resolve target system name no.such.host.', '  1  ms ms ms', '  1    <1 ms  -x [192.0.2.1]', `  1  ${'9'.repeat(5000)} ms  192.0.2.1`]) {
      const trace = parseTracert(junk);
      expect(PathTrace.safeParse(trace).success).toBe(true);
      assertClean(trace);
      for (const hop of trace.hops) for (const r of hop.responders) expect(r.name).toBeNull();
    }
    expect(parseTracert('Unable to resolve target system name no.such.host.').problems[0]).toMatch(/could not resolve/);
  });
});
