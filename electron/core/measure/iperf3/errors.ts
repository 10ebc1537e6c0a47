import type { ErrorCode } from '../../../shared/errors.ts';

const RULES: ReadonlyArray<[RegExp, ErrorCode, string]> = [
  [/server is busy/i, 'SERVER_BUSY', 'The iperf3 server is busy with another test; try again in a moment.'],
  [/connection refused/i, 'CONNECTION_REFUSED', 'The connection was refused: no iperf3 server listens on that port.'],
  [/no route to host|network is unreachable|host is unreachable/i, 'NO_ROUTE', 'There is no route to the host.'],
  [/timed out|operation now in progress|timeout/i, 'TIMEOUT', 'The server did not answer in time.'],
  [/name or service not known|nodename nor servname|unable to resolve|temporary failure in name resolution/i, 'HOST_UNKNOWN', 'The host name could not be resolved.'],
  [/congestion control algorithm not supported|TCP_CONGESTION/i, 'TOOL_FAILED', 'The requested congestion control algorithm is not available on this host.'],
];

/** Maps iperf3's error text to a typed code and a sentence a user can act on. */
export function classifyIperf3Error(text: string): { code: ErrorCode; message: string } {
  const detail = text.replace(/\s+/g, ' ').trim().slice(0, 300);
  for (const [pattern, code, message] of RULES) {
    if (pattern.test(text)) return { code, message: `${message} (iperf3: ${detail})` };
  }
  return { code: 'TOOL_FAILED', message: `iperf3 failed: ${detail || 'no error message'}` };
}
