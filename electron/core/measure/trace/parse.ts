import type { PathFormat, PathTrace } from '../../../shared/path.ts';
import { parseMtrJson, parseMtrReport } from './parse-mtr.ts';
import { parseTracepath } from './parse-tracepath.ts';
import { parseTraceroute } from './parse-traceroute.ts';
import { parseTracert } from './parse-tracert.ts';

export { parseMtrJson, parseMtrReport } from './parse-mtr.ts';
export { parseTracepath } from './parse-tracepath.ts';
export { parseTraceroute } from './parse-traceroute.ts';
export { parseTracert } from './parse-tracert.ts';

export interface ParsePathOptions {
  /** Skip detection. */
  format?: PathFormat;
  /** The address traced to, for formats without a header (tracepath, mtr --report). */
  targetAddress?: string | null;
  target?: string | null;
}

/**
 * Recognises which tool printed `text` (for imported files and pasted tickets). Looks at the first
 * meaningful lines only; never throws.
 */
export function detectPathFormat(text: unknown): PathFormat {
  if (typeof text !== 'string') return 'linux-traceroute';
  const head = text.slice(0, 4000);
  if (/^\s*\{/.test(head)) return 'mtr-json';
  if (/^HOST: /m.test(head) || /^\s{0,3}\d{1,3}\.\|--/m.test(head)) return 'mtr-report';
  if (/^\s*Tracing route to /m.test(head) || /^\s*\d{1,3}\s+(?:<1|\d+) ms\s/m.test(head) || /Request timed out\./.test(head)) return 'windows-tracert';
  // BSD: traceroute6's "from" header, 52/40/20-byte default probes (Linux: 60/80), macOS's default of
  // 64 hops (Linux: 30), continuation lines. Only the label depends on it: one parser reads both.
  if (/^traceroute6 to \S+ \(\S+\) from /m.test(head) || / hops max, (?:52|40|20) byte packets/.test(head) || /, 64 hops max,/.test(head) || /^\s{4,}[\w.:-]+(?: \([\w.:%]+\))?\s+\d+(?:\.\d+)? ms/m.test(head)) return 'bsd-traceroute';
  if (/^traceroute to /m.test(head)) return 'linux-traceroute';
  if (/^\s*\d{1,3}\??:\s/m.test(head)) return 'tracepath';
  return 'linux-traceroute';
}

/** Parses the output of any supported tool; the result says which format it was read as. */
export function parsePath(text: unknown, options: ParsePathOptions = {}): PathTrace {
  const format = options.format ?? detectPathFormat(text);
  const targetAddress = options.targetAddress ?? null;
  switch (format) {
    case 'mtr-json':
      return parseMtrJson(text, { targetAddress });
    case 'mtr-report':
      return parseMtrReport(text, { targetAddress });
    case 'windows-tracert':
      return parseTracert(text, { targetAddress });
    case 'tracepath':
      return parseTracepath(text, { targetAddress, target: options.target ?? null });
    case 'linux-traceroute':
    case 'bsd-traceroute': {
      const trace = parseTraceroute(text, { targetAddress });
      return format === 'bsd-traceroute' && trace.format === 'linux-traceroute' ? { ...trace, format } : trace;
    }
  }
}
