import { chmodSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { chronyErrorSeconds, DEFAULT_SYNCHRONIZED_ERROR_S, resolveClock } from '../../electron/core/measure/oneway/clock-error.ts';
import { createClock } from '../../electron/core/measure/oneway/clock.ts';
import { decodeErrorEstimate, errorEstimateSeconds } from '../../electron/core/measure/oneway/error-estimate.ts';
import { decodeTestPacket, encodeTestPacket } from '../../electron/core/measure/owamp/codec.ts';
import { tempDir } from '../helpers/tmp.ts';

const TRACKING = `Reference ID    : C0A80101 (192.0.2.1)
Stratum         : 3
Ref time (UTC)  : Sun Nov 22 06:50:12 2026
System time     : 0.000250000 seconds slow of NTP time
Last offset     : -0.000012000 seconds
RMS offset      : 0.000034000 seconds
Frequency       : 12.345 ppm fast
Residual freq   : -0.001 ppm
Skew            : 0.050 ppm
Root delay      : 0.004000000 seconds
Root dispersion : 0.000750000 seconds
Update interval : 64.5 seconds
Leap status     : Normal
`;

/** A stand-in chronyc: a real executable that prints `text` for `chronyc tracking`. */
const dirs: Array<ReturnType<typeof tempDir>> = [];
afterAll(() => dirs.forEach((d) => d.remove()));

function fakeChronyc(text: string): string {
  const dir = tempDir();
  dirs.push(dir);
  const path = dir.file('chronyc');
  writeFileSync(path, `#!/bin/sh\n[ "$1" = tracking ] || exit 3\ncat <<'EOT'\n${text}EOT\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('the error our timestamps declare', () => {
  it("reads chrony's bound: |offset| + root dispersion + root delay / 2", () => {
    expect(chronyErrorSeconds(TRACKING)).toBeCloseTo(0.00025 + 0.00075 + 0.002, 12);
    expect(chronyErrorSeconds(TRACKING.replace('Leap status     : Normal', 'Leap status     : Not synchronised'))).toBeNull();
    expect(chronyErrorSeconds('506 Cannot talk to daemon\n')).toBeNull();
    expect(chronyErrorSeconds(TRACKING.replace('0.000750000', '-1'))).toBeNull();
  });

  it('a synchronised clock declares milliseconds, not the microsecond of its anchoring', async () => {
    const missing = await resolveClock({ synchronized: true, chronyc: '/nonexistent/chronyc' });
    expect(missing).toMatchObject({ synchronized: true, errorSeconds: DEFAULT_SYNCHRONIZED_ERROR_S, source: 'default' });
    const chrony = await resolveClock({ synchronized: true, chronyc: fakeChronyc(TRACKING) });
    expect(chrony.source).toBe('chrony');
    expect(chrony.errorSeconds).toBeCloseTo(0.003, 12);
    expect(await resolveClock({ synchronized: true, errorMs: 2.5, chronyc: fakeChronyc(TRACKING) })).toMatchObject({ errorSeconds: 0.0025, source: 'user' });
    expect(await resolveClock({ synchronized: false })).toEqual({ synchronized: false, source: 'anchor' });
  });

  it('carries 10 ms on the wire as S=1, Scale 18, Multiplier 164 (0x92a4): bytes 12-13 of the test packet', async () => {
    const clock = createClock(await resolveClock({ synchronized: true, errorMs: 10 }));
    expect(clock.errorEstimate).toBe(0x92a4);
    expect(decodeErrorEstimate(clock.errorEstimate)).toEqual({ synchronized: true, scale: 18, multiplier: 164 });
    const packet = encodeTestPacket({ seq: 7, timestamp: clock.now(), errorEstimate: clock.errorEstimate });
    expect([...packet.subarray(12, 14)]).toEqual([0x92, 0xa4]);
    // never below what was asked: 164 × 2^-14 s = 10.0098 ms
    expect(errorEstimateSeconds(decodeTestPacket(packet)!.errorEstimate)).toBe(164 * 2 ** -14);
    // chrony's 3 ms: Scale 16, Multiplier ceil(0.003 × 2^16) = 197
    const chrony = createClock(await resolveClock({ synchronized: true, chronyc: fakeChronyc(TRACKING) }));
    expect(chrony.errorEstimate).toBe(0x8000 | (16 << 8) | 197);
  });
});
