import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SelfCheckReport } from '../../electron/shared/selfcheck.ts';
import { psw } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
afterAll(() => dir.remove());

describe('psw selfcheck on this machine', () => {
  it('reports the real kernel buffer maxima against the requested path', async () => {
    const result = await psw(['selfcheck', '--rtt', '80', '--rate', '2G', '--json', '--db', dir.file('s.sqlite')]);
    const report = JSON.parse(result.stdout) as SelfCheckReport;
    const rmemMax = Number(readFileSync('/proc/sys/net/ipv4/tcp_rmem', 'utf8').trim().split(/\s+/)[2]);
    expect(report.maxReceiveWindow).toBe(rmemMax);
    expect(report.bdpBytes).toBe(20_000_000);
    const receive = report.findings.find((f) => f.id === 'tcp-receive-buffer');
    expect(receive?.severity).toBe(rmemMax >= 20_000_000 ? 'ok' : 'problem');
    expect(result.exitCode).toBe(report.findings.some((f) => f.severity === 'problem') ? 1 : 0);
  });

  it('refuses bad options', async () => {
    const result = await psw(['selfcheck', '--rate', 'fast', '--db', dir.file('s.sqlite')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--rate/);
  });
});
