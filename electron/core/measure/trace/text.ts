import { ipFamily } from '../../../shared/ip.ts';
import { describe, isValidHost } from '../../../shared/target.ts';

/**
 * Shared plumbing for the path parsers. Tool output is untrusted (router names come from reverse
 * DNS, imported files from anyone): every string that leaves a parser went through here, so it is
 * bounded, free of control characters, and an address or a host name only if it looks like one.
 */

/** Output beyond these bounds is ignored (with a problem noted), never processed. */
export const MAX_INPUT_CHARS = 4 * 1024 * 1024;
export const MAX_LINES = 20_000;
export const MAX_LINE_CHARS = 2_000;
export const MAX_PROBLEMS = 40;
export const MAX_HOPS = 255;
export const MAX_PROBES_PER_HOP = 64;

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g;

/** Collects problems up to a bound; the last slot says how many were left out. */
export class Problems {
  readonly #list: string[] = [];
  #dropped = 0;

  add(message: string): void {
    if (this.#list.length < MAX_PROBLEMS) this.#list.push(neutralise(message, 300));
    else this.#dropped += 1;
  }

  /** A line that could not be read, quoted safely. */
  line(lineNo: number, line: string, why: string): void {
    this.add(`line ${lineNo}: ${why}: ${describe(line)}`);
  }

  get count(): number {
    return this.#list.length + this.#dropped;
  }

  list(): string[] {
    return this.#dropped > 0 ? [...this.#list, `… and ${this.#dropped} more problems`] : [...this.#list];
  }
}

/** Control, bidi and zero-width characters become "?", and the text is cut to `max` characters. */
export function neutralise(text: string, max = 200): string {
  const clean = text.replace(CONTROL, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * Splits tool output into lines: CRLF, CR or LF; bounded in count, length and total size. Long
 * lines are cut (and reported) rather than dropped, so a hop is not lost to trailing garbage.
 */
export function splitLines(text: unknown, problems: Problems): string[] {
  if (typeof text !== 'string') {
    problems.add('the output is not text');
    return [];
  }
  let input = text;
  if (input.length > MAX_INPUT_CHARS) {
    problems.add(`the output is ${input.length} characters long; only the first ${MAX_INPUT_CHARS} were read`);
    input = input.slice(0, MAX_INPUT_CHARS);
  }
  if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
  const lines = input.split(/\r\n|\r|\n/, MAX_LINES + 1);
  if (lines.length > MAX_LINES) {
    problems.add(`the output has more than ${MAX_LINES} lines; the rest was ignored`);
    lines.length = MAX_LINES;
  }
  return lines.map((line, i) => {
    if (line.length <= MAX_LINE_CHARS) return line;
    problems.add(`line ${i + 1}: ${line.length} characters long, cut to ${MAX_LINE_CHARS}`);
    return line.slice(0, MAX_LINE_CHARS);
  });
}

/** An IP literal in canonical-enough form (IPv6 lowercased), or null if it is not one. */
export function asAddress(text: string | null | undefined): string | null {
  if (!text || text.length > 64) return null;
  const candidate = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return ipFamily(candidate) === null ? null : candidate.includes(':') ? candidate.toLowerCase() : candidate;
}

/**
 * A host name worth keeping: a valid DNS name that is not an address and cannot pass for an
 * option. Anything else ("???", "-rf", names with control characters) is dropped.
 */
export function asHostName(text: string | null | undefined): string | null {
  if (!text || text === '???' || text.length > 253) return null;
  if (asAddress(text) !== null) return null;
  return isValidHost(text) ? text.toLowerCase() : null;
}

export function toNumber(text: string | undefined | null): number | null {
  if (text === undefined || text === null || !/^-?\d+(?:\.\d+)?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

export function toInt(text: string | undefined | null, min: number, max: number): number | null {
  if (text === undefined || text === null || !/^\d{1,9}$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
