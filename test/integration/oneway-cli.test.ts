import { afterAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../electron/shared/runs.ts';
import { psw } from '../helpers/psw.ts';
import { startResponder, type Responder } from '../helpers/responder.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const db = dir.file('oneway.sqlite');
const responders: Responder[] = [];
afterAll(async () => {
  await Promise.all(responders.map((r) => r.stop()));
  dir.remove();
});

async function responder(kind: 'owamp' | 'twamp' | 'twamp-light', listen?: string, extraArgs: string[] = []): Promise<number> {
  const r = await startResponder(kind, listen, extraArgs);
  responders.push(r);
  return r.port;
}

describe('psw run latency / twamp against psw responder (loopback)', () => {
  it('latency: both directions are measured, stored, and listed', async () => {
    const port = await responder('owamp');
    const result = await psw(['run', 'latency', '--to', `127.0.0.1:${port}`, '--count', '40', '--interval', '0.01', '--json', '--db', db]);
    expect(result.exitCode, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.kind).toBe('latency');
    expect(run.status).toBe('succeeded');
    const sessions = run.oneway?.sessions ?? [];
    expect(sessions.map((s) => s.direction).sort()).toEqual(['from', 'to']);
    for (const s of sessions) {
      expect(s.sent).toBe(40);
      expect(s.lost).toBe(0);
      expect(s.medianMs).toBeGreaterThan(0);
      expect(s.medianMs).toBeLessThan(50);
    }
    const [to] = sessions.filter((s) => s.direction === 'to');
    // our responder cannot read TTL and records 255: no hop count rather than "hops = 0"
    expect(to).toMatchObject({ hops: 'hops unknown: the far end cannot read TTL (it reports 255)', hopsAmbiguous: true, reordering: ['no reordering'] });
    for (const s of sessions) {
      const p = s.percentilesMs!;
      expect(p.p25!).toBeLessThanOrEqual(p.p75!);
      expect(p.p90!).toBeLessThanOrEqual(p.p99!);
      expect(p.p99!).toBeLessThanOrEqual(s.maxMs!);
      expect(s.senderErrorMs).toBeGreaterThan(0);
      expect(s.receiverErrorMs).toBeGreaterThan(0);
    }
    expect(run.oneway?.clock).toMatchObject({ synchronized: false });
    expect(run.oneway!.clock!.resolutionNs).toBeGreaterThan(0);
    expect(run.oneway!.clock!.anchorUncertaintyNs).toBeGreaterThan(0);
    const text = await psw(['runs', 'show', String(run.id), '--db', db]);
    expect(text.stdout).toContain('--- to the far end ---');
    expect(text.stdout).toContain('--- from the far end ---');
    expect(text.stdout).toMatch(/our clock: unsynchronised, error estimate [\d.]+ ms, timestamp resolution \d+ ns, anchored to ±[\d.]+ µs/);
    expect(text.stdout).toMatch(/percentiles p25\/p75\/p90\/p95\/p99 = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/);
    expect(text.stdout).toContain('hops unknown: the far end cannot read TTL');
    expect(text.stdout).toContain('  no reordering\n');
    expect(text.stdout).toMatch(/clocks: unsynchronised; error estimates sender ±[\d.]+ ms, receiver ±[\d.]+ ms/);
  });

  it('--clock-sync --clock-error MS: our timestamps carry that error to the far end and back in its records', async () => {
    const port = await responder('owamp');
    const result = await psw(['run', 'latency', '--to', `127.0.0.1:${port}`, '--direction', 'to', '--count', '10', '--interval', '0.01', '--clock-sync', '--clock-error', '10', '--json', '--db', db]);
    expect(result.exitCode, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    // 10 ms encodes as Multiplier 164 × 2^(18−32) s: never less than asked
    expect(run.oneway?.sessions[0]?.senderErrorMs).toBe(164 * 2 ** -14 * 1000);
    expect(run.oneway?.clock).toMatchObject({ synchronized: true, errorMs: 164 * 2 ** -14 * 1000 });
    expect(run.oneway?.notes).toContain('Our timestamps declare an error of 10 ms, as given with --clock-error.');
  });

  it('psw responder --clock-sync --clock-error MS: the far end timestamps carry its error', async () => {
    const port = await responder('owamp', '127.0.0.1', ['--clock-sync', '--clock-error', '2.5']);
    const result = await psw(['run', 'latency', '--to', `127.0.0.1:${port}`, '--direction', 'from', '--count', '10', '--interval', '0.01', '--json', '--db', db]);
    expect(result.exitCode, result.stderr).toBe(0);
    const from = (JSON.parse(result.stdout) as RunDetail).oneway!.sessions[0]!;
    // 2.5 ms: Scale 16, Multiplier ceil(0.0025 × 2^16) = 164
    expect(from).toMatchObject({ direction: 'from', senderErrorMs: 164 * 2 ** -16 * 1000, synchronized: false });
    expect(from.receiverErrorMs).toBeLessThan(0.01);
  });

  it('twamp and twamp-light: round trip over IPv6 and IPv4', async () => {
    const port = await responder('twamp', '::1');
    const full = JSON.parse((await psw(['run', 'twamp', '--to', `[::1]:${port}`, '--count', '30', '--interval', '0.01', '--json', '--db', db])).stdout) as RunDetail;
    expect(full.family).toBe('6');
    expect(full.oneway?.sessions).toHaveLength(1);
    expect(full.oneway?.sessions[0]).toMatchObject({ direction: 'round-trip', sent: 30, lost: 0, clocksOffset: false, hopsAmbiguous: true });
    const rt = full.oneway!.sessions[0]!;
    expect(rt.send!.medianMs! + rt.reflect!.medianMs!).toBeGreaterThan(0);
    expect(rt.processingMinMs!).toBeGreaterThanOrEqual(0);
    expect(rt.processingMaxMs!).toBeLessThan(rt.maxMs!);
    expect(rt.percentilesMs!.p95).toBe(rt.p95Ms);
    const text = (await psw(['runs', 'show', String(full.id), '--db', db])).stdout;
    expect(text).toMatch(/send time min\/median\/max = [-\d.]+\/[-\d.]+\/[-\d.]+ ms/);
    expect(text).toMatch(/reflect time min\/median\/max = [-\d.]+\/[-\d.]+\/[-\d.]+ ms/);
    expect(text).toMatch(/reflector processing time min\/max = [\d.]+\/[\d.]+ ms/);
    // the same clock words as the UI: an unsynchronised round trip is "(unsync)", whatever twping's quirk prints
    expect(text).toMatch(/round-trip time min\/median\/max = [\d.]+\/[\d.]+\/[\d.]+ ms, \(unsync\)/);
    expect(text).toMatch(/clocks: unsynchronised \(fine for RTT\); error estimates sender ±[\d.]+ ms, reflector ±[\d.]+ ms/);
    const lightPort = await responder('twamp-light');
    const light = JSON.parse((await psw(['run', 'twamp', '--light', '--to', `127.0.0.1:${lightPort}`, '--count', '30', '--interval', '0.01', '--json', '--db', db])).stdout) as RunDetail;
    expect(light.tool).toBe('psw-twamp-light');
    expect(light.oneway?.sessions[0]).toMatchObject({ direction: 'round-trip', sent: 30, lost: 0 });
  });

  it('refuses hostile or contradictory flags with a usage error and no run', async () => {
    const before = (await psw(['runs', 'list', '--json', '--db', db])).stdout;
    for (const args of [
      ['run', 'latency', '--to=--help'],
      ['run', 'latency', '--to', '127.0.0.1', '--count', '0'],
      ['run', 'latency', '--to', '127.0.0.1', '--light'],
      ['run', 'latency', '--to', '127.0.0.1', '--dscp', '64'],
      ['run', 'twamp', '--to', '127.0.0.1', '--direction', 'to'],
      ['run', 'twamp', '--to', '127.0.0.1', '-4', '-6'],
      ['responder', 'owamp', '--listen', 'example.org'],
      ['responder', 'owamp', '--clock-error', '0'],
      ['run', 'latency', '--to', '127.0.0.1', '--clock-error', '10001'],
      ['run', 'twamp', '--to', '127.0.0.1', '--clock-error', 'x'],
      ['run', 'twamp', '--to', '127.0.0.1', '--tool', 'system', '--clock-error', '1'],
    ]) {
      const result = await psw([...args, '--db', db]);
      expect(result.exitCode, args.join(' ')).toBe(2);
    }
    expect((await psw(['runs', 'list', '--json', '--db', db])).stdout).toBe(before);
  });

  it('--dscp with direction to or both is refused before anything starts: exit 2, nothing stored', async () => {
    const port = await responder('owamp');
    const fresh = dir.file('dscp.sqlite');
    for (const direction of [[], ['--direction', 'both'], ['--direction', 'to']]) {
      const result = await psw(['run', 'latency', '--to', `127.0.0.1:${port}`, '--dscp', '46', ...direction, '--count', '5', '--json', '--db', fresh]);
      expect(result.exitCode, direction.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/--dscp needs --direction from/);
    }
    expect(JSON.parse((await psw(['runs', 'list', '--json', '--db', fresh])).stdout)).toEqual([]);
  });

  it('a latency run toward a port with no responder fails with a clear error, not a hang', async () => {
    const result = await psw(['run', 'latency', '--to', '127.0.0.1:9', '--count', '5', '--json', '--db', db], { timeoutMs: 30_000 });
    expect(result.exitCode).not.toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.status).toBe('failed');
    expect(run.error?.message).toMatch(/refused|connect/i);
  });
});
