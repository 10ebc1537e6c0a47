import { WorkbenchError } from './errors.ts';
import { ipFamily, isIPv6 } from './ip.ts';

/**
 * The single gate every host name passes before it can reach a tool, whether typed by a user,
 * read from the Lookup Service or sent over IPC. A host accepted here is safe as one argv element:
 * it never starts with '-', holds no whitespace, quotes, shell or control characters.
 */
export interface Target {
  host: string;
  port: number | null;
}

export const MAX_HOST_LENGTH = 253;
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

export function hostProblem(host: string): string | null {
  if (host.length === 0) return 'the host is empty';
  if (host.length > MAX_HOST_LENGTH) return `the host is longer than ${MAX_HOST_LENGTH} characters`;
  if (host.startsWith('-')) return 'the host starts with "-" and could be taken for an option';
  if (ipFamily(host) !== null) return null;
  if (host.includes(':')) return 'the host is not a valid IPv6 address';
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  const labels = name.split('.');
  if (labels.some((label) => !LABEL.test(label))) {
    return 'the host is not a valid host name (letters, digits, "-" and "." only)';
  }
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return 'the host is not a valid IPv4 address';
  return null;
}

export function isValidHost(host: string): boolean {
  return hostProblem(host) === null;
}

export function assertValidHost(host: string): string {
  const problem = hostProblem(host);
  if (problem) throw new WorkbenchError('INVALID_INPUT', `Refused target ${describe(host)}: ${problem}.`);
  return host;
}

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/**
 * Parses "host", "host:port", "1.2.3.4:5201", "[2001:db8::1]:5201" or a bare IPv6 literal.
 * Throws INVALID_INPUT with a readable reason.
 */
export function parseTarget(text: string): Target {
  const input = text.trim() === text ? text : '';
  if (input === '') throw new WorkbenchError('INVALID_INPUT', `Refused target ${describe(text)}: it is empty or has surrounding spaces.`);
  let host = input;
  let portText: string | null = null;
  if (input.startsWith('[')) {
    const close = input.indexOf(']');
    if (close === -1) throw new WorkbenchError('INVALID_INPUT', `Refused target ${describe(text)}: missing "]".`);
    host = input.slice(1, close);
    const rest = input.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new WorkbenchError('INVALID_INPUT', `Refused target ${describe(text)}: unexpected text after "]".`);
      portText = rest.slice(1);
    }
    if (!isIPv6(host)) throw new WorkbenchError('INVALID_INPUT', `Refused target ${describe(text)}: not an IPv6 address inside brackets.`);
  } else if (input.indexOf(':') !== -1 && input.indexOf(':') === input.lastIndexOf(':')) {
    host = input.slice(0, input.indexOf(':'));
    portText = input.slice(input.indexOf(':') + 1);
  }
  assertValidHost(host);
  let port: number | null = null;
  if (portText !== null) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!isValidPort(port)) throw new WorkbenchError('INVALID_INPUT', `Refused target ${describe(text)}: the port must be 1-65535.`);
  }
  return { host, port };
}

export function formatTarget(target: Target): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return target.port === null ? host : `${host}:${target.port}`;
}

/** Quotes a refused value for an error message without letting it flood or corrupt the output. */
export function describe(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(clean.length > 64 ? `${clean.slice(0, 64)}…` : clean);
}
