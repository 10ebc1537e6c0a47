import { describe, expect, it } from 'vitest';
import { ONEWAY_RUN_HELP, onewayRequest } from '../../electron/cli/commands/oneway-run.ts';
import { LatencyOptions } from '../../electron/shared/latency.ts';

/** Every flag `psw run latency|twamp` accepts, with a value it accepts. */
const FLAGS: Array<[string, string | null]> = [
  ['--count', '5'],
  ['--interval', '0.1'],
  ['--periodic', null],
  ['--direction', 'from'],
  ['--padding', '10'],
  ['--timeout', '3'],
  ['--dscp', '0'],
  ['--light', null],
  ['--tool', 'builtin'],
  ['--clock-sync', null],
  ['--clock-error', '5'],
  ['-4', null],
  ['--json', null],
];

function usageOf(kind: 'latency' | 'twamp'): string {
  const lines = ONEWAY_RUN_HELP.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith(`psw run ${kind}`));
  const block = [lines[start] ?? ''];
  for (const line of lines.slice(start + 1)) if (/^\s{10,}\[/.test(line)) block.push(line);
  else break;
  return block.join('\n');
}

describe('psw run latency|twamp help', () => {
  for (const kind of ['latency', 'twamp'] as const) {
    it(`the ${kind} usage line lists every flag its parser accepts`, () => {
      const usage = usageOf(kind);
      const accepted = FLAGS.filter(([flag, value]) => {
        try {
          onewayRequest(kind, ['--to', '127.0.0.1', flag, ...(value === null ? [] : [value])]);
          return true;
        } catch {
          return false;
        }
      }).map(([flag]) => flag);
      expect(accepted).toContain('--timeout');
      expect(accepted).toContain('--clock-sync');
      for (const flag of accepted.filter((f) => f !== '--json')) expect(usage, flag).toMatch(new RegExp(`${flag === '-4' ? '-4\\|-6' : flag}\\b`));
    });
  }

  it('--clock-error reaches the run options in ms; --dscp other than 0 needs --direction from', () => {
    expect(onewayRequest('twamp', ['--to', '127.0.0.1', '--clock-error', '0.5']).input.options).toMatchObject({ clockErrorMs: 0.5 });
    expect(onewayRequest('latency', ['--to', '127.0.0.1', '--dscp', '46', '--direction', 'from']).input.options).toMatchObject({ dscp: 46, direction: 'from' });
    expect(() => onewayRequest('latency', ['--to', '127.0.0.1', '--dscp', '46'])).toThrow(/--dscp needs --direction from/);
  });

  it('the contract refuses DSCP marking unless the far end sends (direction from), for every client of runs.start', () => {
    expect(LatencyOptions.safeParse({ dscp: 46 }).success).toBe(false);
    expect(LatencyOptions.safeParse({ dscp: 46, direction: 'to' }).success).toBe(false);
    expect(LatencyOptions.safeParse({ dscp: 46, direction: 'from' }).success).toBe(true);
    expect(LatencyOptions.safeParse({ dscp: 0 }).success).toBe(true);
  });
});
