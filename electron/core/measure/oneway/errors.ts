import { WorkbenchError, type ErrorCode } from '../../../shared/errors.ts';

/**
 * Why an OWAMP/TWAMP session ended badly, finer than the contract's error code: the UI can show
 * the code, a log or a ticket can show the reason and the protocol step.
 */
export type OnewayFailure =
  | 'connect-failed'
  | 'connection-closed'
  | 'timeout'
  | 'malformed'
  | 'protocol-violation'
  | 'no-common-mode'
  | 'server-refused'
  | 'session-refused'
  | 'start-refused'
  | 'fetch-refused'
  | 'stopped-with-error'
  | 'unsupported'
  | 'local-resource'
  | 'cancelled';

/** The protocol step a failure happened in (for messages and for tests to assert on). */
export type ControlStep =
  | 'connect'
  | 'server-greeting'
  | 'set-up-response'
  | 'server-start'
  | 'request-session'
  | 'accept-session'
  | 'start-sessions'
  | 'start-ack'
  | 'test'
  | 'stop-sessions'
  | 'fetch-session'
  | 'fetch-ack'
  | 'fetch-data'
  | 'command';

const CODE_FOR: Record<OnewayFailure, ErrorCode> = {
  'connect-failed': 'CONNECTION_REFUSED',
  'connection-closed': 'TOOL_FAILED',
  timeout: 'TIMEOUT',
  malformed: 'UNPARSEABLE_OUTPUT',
  'protocol-violation': 'UNPARSEABLE_OUTPUT',
  'no-common-mode': 'UNAUTHORIZED',
  'server-refused': 'TOOL_FAILED',
  'session-refused': 'TOOL_FAILED',
  'start-refused': 'TOOL_FAILED',
  'fetch-refused': 'TOOL_FAILED',
  'stopped-with-error': 'TOOL_FAILED',
  unsupported: 'INVALID_INPUT',
  'local-resource': 'INTERNAL',
  cancelled: 'CANCELLED',
};

export class OnewayError extends WorkbenchError {
  readonly reason: OnewayFailure;
  readonly step: ControlStep | null;
  /** The peer's Accept value when the failure is a refusal. */
  readonly acceptCode: number | null;

  constructor(
    reason: OnewayFailure,
    message: string,
    details: { step?: ControlStep | null; acceptCode?: number | null; code?: ErrorCode; cause?: unknown } = {},
  ) {
    super(details.code ?? CODE_FOR[reason], message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'OnewayError';
    this.reason = reason;
    this.step = details.step ?? null;
    this.acceptCode = details.acceptCode ?? null;
  }
}

/** Thrown by decoders: the bytes do not form the message they should. */
export class MalformedMessageError extends OnewayError {
  constructor(message: string, step: ControlStep | null = null) {
    super('malformed', message, { step });
    this.name = 'MalformedMessageError';
  }
}

/** Accept values (RFC 4656 §3.3). Receivers treat unknown non-zero values as 1. */
export const ACCEPT = {
  ok: 0,
  failure: 1,
  internalError: 2,
  notSupported: 3,
  permanentLimit: 4,
  temporaryLimit: 5,
} as const;

const ACCEPT_TEXT: readonly string[] = [
  'OK',
  'failure, reason unspecified (often the server policy refusing the test)',
  'internal error on the server',
  'some aspect of the request is not supported',
  'permanent resource limitation on the server',
  'temporary resource limitation on the server (try again later)',
];

export function describeAccept(code: number): string {
  return ACCEPT_TEXT[code] ?? `unknown Accept value ${code} (treated as a failure)`;
}

/** A refusal from the peer as an error, with the code a user can act on. */
export function refusal(reason: OnewayFailure, what: string, acceptCode: number, step: ControlStep): OnewayError {
  const code: ErrorCode = acceptCode === ACCEPT.temporaryLimit || acceptCode === ACCEPT.permanentLimit ? 'SERVER_BUSY' : CODE_FOR[reason];
  return new OnewayError(reason, `${what}: Accept ${acceptCode}, ${describeAccept(acceptCode)}.`, { step, acceptCode, code });
}
