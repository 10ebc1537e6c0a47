import type { ErrorCode, ErrorInfo } from '../../../shared/errors.ts';
import { neutralise } from './text.ts';

/** Failures of the path tools, as a reason the UI can act on plus the contract's error code. */
export const PATH_FAILURE_REASONS = ['tool-missing', 'host-unknown', 'permission', 'timeout', 'cancelled', 'no-route', 'invalid-input', 'unparseable', 'tool-failed'] as const;
export type PathFailureReason = (typeof PATH_FAILURE_REASONS)[number];

export const PERMISSION_CODE: ErrorCode = 'PERMISSION_DENIED';

export interface PathFailure extends ErrorInfo {
  reason: PathFailureReason;
}

const CODES: Record<PathFailureReason, ErrorCode> = {
  'tool-missing': 'TOOL_MISSING',
  'host-unknown': 'HOST_UNKNOWN',
  permission: PERMISSION_CODE,
  timeout: 'TIMEOUT',
  cancelled: 'CANCELLED',
  'no-route': 'NO_ROUTE',
  'invalid-input': 'INVALID_INPUT',
  unparseable: 'UNPARSEABLE_OUTPUT',
  'tool-failed': 'TOOL_FAILED',
};

export function pathFailure(reason: PathFailureReason, message: string): PathFailure {
  return { reason, code: CODES[reason], message };
}

const PERMISSION_HINT: Record<string, string> = {
  traceroute: 'ICMP and TCP traceroute need root or CAP_NET_RAW on Linux; use UDP probes, or grant the capability: sudo setcap cap_net_raw+ep "$(readlink -f "$(command -v traceroute)")".',
  mtr: 'mtr needs its helper mtr-packet with CAP_NET_RAW, and refuses intervals below 1 s without root.',
  ping: 'ping needs CAP_NET_RAW or an ICMP socket range (sysctl net.ipv4.ping_group_range) that includes your group; short intervals need root.',
  tracepath: 'tracepath needs no privileges; check that UDP sockets are allowed.',
};

const RULES: ReadonlyArray<[RegExp, PathFailureReason, string]> = [
  [/do not have enough privileges|Operation not permitted|permission denied|non-root users cannot|must be root|cannot flood|unable to get raw sockets|Failure to open (?:IPv4|IPv6) sockets/i, 'permission', 'The tool lacks the privileges this probe method needs.'],
  [/Name or service not known|nodename nor servname|Temporary failure in name resolution|Failed to resolve host|Cannot handle "host" cmdline arg|unknown host|could not find host|Unable to resolve target system name|Address family for hostname not supported|No address associated with hostname/i, 'host-unknown', 'The target could not be resolved (for the requested address family).'],
  [/Network is unreachable|No route to host|connect: Invalid argument|Cannot assign requested address/i, 'no-route', 'There is no route to the target from this host.'],
  [/Failure to start mtr-packet|mtr-packet: (?:not found|No such file)/i, 'tool-missing', 'mtr could not start its helper mtr-packet.'],
];

/** Maps a tool's error text to a reason and a sentence a user can act on. */
export function classifyToolError(tool: string, text: string): PathFailure {
  const detail = neutralise(text.replace(/\s+/g, ' ').trim(), 300);
  for (const [pattern, reason, message] of RULES) {
    if (pattern.test(text)) {
      const hint = reason === 'permission' ? ` ${PERMISSION_HINT[tool] ?? ''}` : '';
      return pathFailure(reason, `${message}${hint} (${tool}: ${detail})`);
    }
  }
  return pathFailure('tool-failed', `${tool} failed: ${detail || 'no error message'}`);
}

/** True when the text is one of the errors that mean "nothing was measured at all". */
export function isFatalToolText(text: string): boolean {
  return RULES.some(([pattern]) => pattern.test(text)) || /bind: Address already in use/i.test(text);
}
