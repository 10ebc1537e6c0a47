import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../electron/shared/errors.ts';
import { LatencyOptions, TwampOptions } from '../../electron/shared/latency.ts';
import { decimalSeconds, systemOnewayArgs, type SystemOnewayArgsInput } from '../../electron/core/measure/oneway/system-args.ts';
import { parseOwampVersion } from '../../electron/core/measure/oneway/system-tools.ts';
import { classifyOwampToolError } from '../../electron/core/measure/oneway/system-run.ts';

const base: SystemOnewayArgsInput = { tool: 'owping', host: '192.0.2.7', port: 861, packets: 100, interval: 0.1, schedule: 'poisson', padding: 0, family: 'any', direction: 'both' };

function refused(input: Partial<SystemOnewayArgsInput>): WorkbenchError {
  try {
    systemOnewayArgs({ ...base, ...input });
  } catch (error) {
    expect(error).toBeInstanceOf(WorkbenchError);
    expect((error as WorkbenchError).code).toBe('INVALID_INPUT');
    return error as WorkbenchError;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('owping/twping argv', () => {
  it('defaults: open mode, raw records, Poisson slot, both directions, target after "--"', () => {
    expect(systemOnewayArgs(base)).toEqual(['-A', 'O', '-R', '-c', '100', '-i', '0.1e', '-s', '0', '--', '192.0.2.7:861']);
  });

  it('every option in owping syntax', () => {
    const args = systemOnewayArgs({ ...base, packets: 250, interval: 0.02, schedule: 'periodic', padding: 1400, lossTimeout: 3.5, direction: 'to', dscp: 46, family: '4', port: 8610 });
    expect(args).toEqual(['-A', 'O', '-R', '-c', '250', '-i', '0.02f', '-s', '1400', '-L', '3.5', '-t', '-D', '46', '-4', '--', '192.0.2.7:8610']);
  });

  it('direction: to = -t, from = -f, both = neither', () => {
    expect(systemOnewayArgs({ ...base, direction: 'to' })).toContain('-t');
    expect(systemOnewayArgs({ ...base, direction: 'to' })).not.toContain('-f');
    expect(systemOnewayArgs({ ...base, direction: 'from' })).toContain('-f');
    expect(systemOnewayArgs({ ...base, direction: 'from' })).not.toContain('-t');
    const both = systemOnewayArgs({ ...base, direction: 'both' });
    expect(both).not.toContain('-t');
    expect(both).not.toContain('-f');
  });

  it('IPv6: brackets around the address, -6 when asked', () => {
    const args = systemOnewayArgs({ ...base, host: '2001:db8::1', family: '6' });
    expect(args.slice(-3)).toEqual(['-6', '--', '[2001:db8::1]:861']);
    expect(systemOnewayArgs({ ...base, host: '::1', port: 28611 }).at(-1)).toBe('[::1]:28611');
  });

  it('host names pass as they are, DSCP 0 is explicit, absent DSCP and loss timeout add nothing', () => {
    expect(systemOnewayArgs({ ...base, host: 'owamp.example.net' }).at(-1)).toBe('owamp.example.net:861');
    expect(systemOnewayArgs({ ...base, dscp: 0 })).toEqual(expect.arrayContaining(['-D', '0']));
    const plain = systemOnewayArgs({ ...base, dscp: null });
    expect(plain).not.toContain('-D');
    expect(plain).not.toContain('-L');
  });

  it('twping: padding as given (27 by default in the schema), no direction flags', () => {
    const options = TwampOptions.parse({});
    const args = systemOnewayArgs({ tool: 'twping', host: '127.0.0.1', port: 862, packets: options.packets, interval: options.interval, schedule: options.schedule, padding: options.padding, family: options.family });
    expect(args).toEqual(['-A', 'O', '-R', '-c', '100', '-i', '0.1e', '-s', '27', '--', '127.0.0.1:862']);
    refused({ tool: 'twping', direction: 'to' });
  });

  it('refuses hosts that could become options or carry anything but a name', () => {
    for (const host of ['-oProxyCommand=x', '--help', '-R', 'a b', 'host;id', '$(id)', '', 'x'.repeat(300), '1.2.3.4:80', '[::1]']) {
      expect(refused({ host }).message).toMatch(/Refused target/);
    }
  });

  it('refuses values outside the bounds instead of passing them on', () => {
    refused({ packets: 0 });
    refused({ packets: 1.5 });
    refused({ interval: Number.NaN });
    refused({ interval: 0.0001 });
    refused({ padding: -1 });
    refused({ lossTimeout: 0 });
    refused({ dscp: 64 });
    refused({ port: 0 });
    refused({ family: 'x' as '4' });
    refused({ schedule: 'burst' as 'poisson' });
  });

  it('writes seconds as plain decimals owping reads', () => {
    expect(decimalSeconds(0.001)).toBe('0.001');
    expect(decimalSeconds(10)).toBe('10');
    expect(decimalSeconds(0.1 + 0.2)).toBe('0.3');
    expect(decimalSeconds(1e-6)).toBe('0.000001');
  });
});

describe('tool option', () => {
  it('defaults to the built-in client; system is refused together with TWAMP-Light', () => {
    expect(LatencyOptions.parse({}).tool).toBe('builtin');
    expect(LatencyOptions.parse({ tool: 'system' }).tool).toBe('system');
    expect(TwampOptions.safeParse({ tool: 'system', light: true }).success).toBe(false);
    expect(TwampOptions.safeParse({ tool: 'system' }).success).toBe(true);
    expect(LatencyOptions.safeParse({ tool: 'owping' }).success).toBe(false);
  });
});

describe('owping version and errors (real 5.2.3 text)', () => {
  it('reads the version from the -h usage text', () => {
    expect(parseOwampVersion('owping: \nusage: owping [arguments] testaddr [servaddr]\n   -v[N]  print\n\nVersion: 5.2.3-1\n\n')).toBe('5.2.3-1');
    expect(parseOwampVersion('usage: owping\n')).toBeNull();
  });

  const ntp = 'owping: NTP: Status UNSYNC (clock offset issues likely)\nowping: NTP: STA_NANO should be set. Make sure ntpd is running, and your NTP configuration is good.\n';
  it('no server, denied test, no common mode; the NTP warnings are no error', () => {
    expect(classifyOwampToolError('owping', `${ntp}owping: Unable to open control connection to 127.0.0.1:8610.\n`, '127.0.0.1:8610')).toEqual({
      code: 'CONNECTION_REFUSED',
      message: 'owping could not open a control connection to 127.0.0.1:8610: no OWAMP server answers there (owping: Unable to open control connection to 127.0.0.1:8610.)',
    });
    expect(classifyOwampToolError('owping', `${ntp}owping: Server denied test: 127.0.0.1\nowping: Session Failed!\n`, '127.0.0.1:861').message).toMatch(/denied the test/);
    expect(classifyOwampToolError('owping', `${ntp}owping: OWPControlOpen: No Common Modes\nowping: Unable to open control connection to 127.0.0.1.\n`, '127.0.0.1:861').message).toMatch(/unauthenticated/);
    expect(classifyOwampToolError('owping', ntp, '127.0.0.1:861')).toEqual({ code: 'TOOL_FAILED', message: 'owping failed: no error message' });
  });
});
