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

async function responder(kind: 'owamp' | 'twamp' | 'twamp-light', listen?: string): Promise<number> {
  const r = await startResponder(kind, listen);
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
    const text = await psw(['runs', 'show', String(run.id), '--db', db]);
    expect(text.stdout).toContain('--- to the far end ---');
    expect(text.stdout).toContain('--- from the far end ---');
  });

  it('twamp and twamp-light: round trip over IPv6 and IPv4', async () => {
    const port = await responder('twamp', '::1');
    const full = JSON.parse((await psw(['run', 'twamp', '--to', `[::1]:${port}`, '--count', '30', '--interval', '0.01', '--json', '--db', db])).stdout) as RunDetail;
    expect(full.family).toBe('6');
    expect(full.oneway?.sessions).toHaveLength(1);
    expect(full.oneway?.sessions[0]).toMatchObject({ direction: 'round-trip', sent: 30, lost: 0 });
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
    ]) {
      const result = await psw([...args, '--db', db]);
      expect(result.exitCode, args.join(' ')).toBe(2);
    }
    expect((await psw(['runs', 'list', '--json', '--db', db])).stdout).toBe(before);
  });

  it('a latency run toward a port with no responder fails with a clear error, not a hang', async () => {
    const result = await psw(['run', 'latency', '--to', '127.0.0.1:9', '--count', '5', '--json', '--db', db], { timeoutMs: 30_000 });
    expect(result.exitCode).not.toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.status).toBe('failed');
    expect(run.error?.message).toMatch(/refused|connect/i);
  });
});
