import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PathTrace } from '../../electron/shared/path.ts';
import { assessPath } from '../../electron/core/measure/trace/analysis.ts';
import { pathFingerprint } from '../../electron/core/measure/trace/identity.ts';
import { detectPathFormat, parsePath } from '../../electron/core/measure/trace/parse.ts';
import { parsePing, summarizePing } from '../../electron/core/measure/ping/parse.ts';
import { assertClean, fixture } from './trace-fixtures.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'trace');
const FIXTURES = ['linux', 'macos', 'windows'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => `${dir}/${f.slice(0, -4)}`),
);
const PATHS = FIXTURES.filter((f) => !/\/ping/.test(f));
const PINGS = FIXTURES.filter((f) => /\/ping/.test(f));

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = ['\u0000', '\u001b[2J', '\u202e', '-', '--', '(', ')', '[', ']', '!', '!<', '*', 'ms', '\r', '\n', '  ', ':', '%', '{', '}', '"', '-rf', '9999999999', 'NaN', '0.0.0.0.0'];

function mutate(text: string, random: () => number): string {
  const choice = Math.floor(random() * 5);
  const at = Math.floor(random() * (text.length + 1));
  switch (choice) {
    case 0:
      return text.slice(0, at); // truncation
    case 1:
      return text.slice(0, at) + (NASTY[Math.floor(random() * NASTY.length)] ?? '') + text.slice(at); // insertion
    case 2:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20)); // deletion
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines.splice(i, 0, lines[Math.floor(random() * lines.length)] ?? ''); // duplicated line
      return lines.join('\n');
    }
    default:
      return text.slice(at) + text.slice(0, at); // rotation
  }
}

describe('every parser, on every fixture mutated 60 ways (seeded)', () => {
  it('has fixtures for every format', () => {
    expect(new Set(PATHS.map((f) => detectPathFormat(fixture(f))))).toEqual(new Set(['linux-traceroute', 'bsd-traceroute', 'windows-tracert', 'tracepath', 'mtr-json', 'mtr-report']));
    expect(PINGS.length).toBeGreaterThanOrEqual(15);
  });

  it('detects each fixture as the tool that printed it', () => {
    const expected = (name: string) =>
      name.startsWith('windows/') ? 'windows-tracert'
      : name.startsWith('macos/') ? 'bsd-traceroute'
      : name.includes('/tracepath') ? 'tracepath'
      : name.includes('/mtr-json') ? 'mtr-json'
      : name.includes('/mtr-report') ? 'mtr-report'
      : 'linux-traceroute';
    for (const name of PATHS) expect([name, detectPathFormat(fixture(name))]).toEqual([name, expected(name)]);
    for (const name of PATHS) expect([name, parsePath(fixture(name)).format]).toEqual([name, expected(name)]);
  });

  it.each(PATHS)('%s: never throws; output valid, bounded and clean', (name) => {
    const original = fixture(name);
    const format = detectPathFormat(original);
    const random = rng(name.length * 7919 + original.length);
    for (let round = 0; round < 60; round += 1) {
      const text = mutate(round % 3 === 0 ? original : mutate(original, random), random);
      const trace = parsePath(text, { format, targetAddress: '198.18.9.1' });
      const checked = PathTrace.safeParse(trace);
      if (!checked.success) throw new Error(`round ${round}: ${checked.error.message}\n${JSON.stringify(text)}`);
      expect(trace.hops.length).toBeLessThanOrEqual(255);
      assertClean(trace);
      expect(() => assessPath(trace)).not.toThrow();
      expect(pathFingerprint(trace)).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it.each(PINGS)('%s: never throws; output clean', (name) => {
    const original = fixture(name);
    const random = rng(original.length);
    for (let round = 0; round < 60; round += 1) {
      const parse = parsePing(mutate(original, random));
      assertClean(parse);
      const summary = summarizePing(parse);
      expect(summary.received).toBeLessThanOrEqual(summary.sent);
    }
  });

  it('random bytes', () => {
    const random = rng(42);
    for (let round = 0; round < 200; round += 1) {
      const text = Array.from({ length: Math.floor(random() * 400) }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
      const trace = parsePath(text);
      expect(PathTrace.safeParse(trace).success).toBe(true);
      assertClean(trace);
      assertClean(parsePing(text));
    }
  });
});
