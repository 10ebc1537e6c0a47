/** Every failure that crosses the contract carries one of these codes; the UI never parses messages. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'TOOL_MISSING',
  'TOOL_FAILED',
  /** The tool needs privileges this user lacks (raw sockets for ICMP/TCP traceroute, mtr). */
  'PERMISSION_DENIED',
  'SERVER_BUSY',
  'CONNECTION_REFUSED',
  'NO_ROUTE',
  'HOST_UNKNOWN',
  'TIMEOUT',
  'UNPARSEABLE_OUTPUT',
  'CANCELLED',
  'INTERRUPTED',
  'DB_FROM_FUTURE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export class WorkbenchError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkbenchError';
    this.code = code;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turns anything thrown into a contract error; unknown errors become INTERNAL without a stack. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof WorkbenchError) return error.toInfo();
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
