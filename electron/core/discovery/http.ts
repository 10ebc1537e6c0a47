import { WorkbenchError, type ErrorCode } from '../../shared/errors.ts';
import { describe } from '../../shared/target.ts';

/*
 * HTTP for untrusted Lookup Services: every request is bounded in time (the caller's signal carries
 * the budget) and in size (bodies are streamed and cut off at maxBytes, never buffered whole first).
 */

export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** JSON objects and arrays one response may hold: parsing costs ~70 bytes of heap each (`[{},{},…]`). */
export const MAX_JSON_CONTAINERS = 1_000_000;

/** Bytes left for a group of requests (one query's sources); every chunk read is taken from it. */
export interface ByteBudget {
  readonly bytes: number;
  bytesLeft: number;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  /** JSON body for POST. */
  body?: unknown;
  /** Aborts the request; its reason tells a timeout (deadline) from a cancel. */
  signal: AbortSignal;
  maxBytes?: number;
  budget?: ByteBudget;
}

/** Abort reasons that the budget and the caller use, so errors can say which one fired. */
export class DeadlineReached extends Error {
  readonly budgetMs: number;

  constructor(budgetMs: number) {
    super(`no complete answer within ${budgetMs} ms`);
    this.name = 'DeadlineReached';
    this.budgetMs = budgetMs;
  }
}

const NETWORK_CODES: Record<string, ErrorCode> = {
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ENOTFOUND: 'HOST_UNKNOWN',
  EAI_AGAIN: 'HOST_UNKNOWN',
  EHOSTUNREACH: 'NO_ROUTE',
  ENETUNREACH: 'NO_ROUTE',
  ETIMEDOUT: 'TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
};

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/** Turns whatever fetch threw into a WorkbenchError that names the URL and the reason. */
export function requestError(error: unknown, url: string, signal: AbortSignal): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof DeadlineReached) return new WorkbenchError('TIMEOUT', `${url}: ${reason.message}.`);
    if (reason instanceof DOMException && reason.name === 'TimeoutError') return new WorkbenchError('TIMEOUT', `${url}: timed out.`);
    return new WorkbenchError('CANCELLED', `${url}: cancelled.`);
  }
  const code = causeCode(error);
  const mapped = code ? NETWORK_CODES[code] : undefined;
  if (mapped) return new WorkbenchError(mapped, `${url}: ${code}.`, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  if (/terminated|other side closed|ECONNRESET|socket/i.test(`${message} ${code ?? ''}`)) {
    return new WorkbenchError('TOOL_FAILED', `${url}: the connection closed before the whole response arrived.`, { cause: error });
  }
  return new WorkbenchError('TOOL_FAILED', `${url}: ${describe(message)}.`, { cause: error });
}

function isStaleConnection(error: unknown): boolean {
  const code = causeCode(error);
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') return true;
  return error instanceof Error && error.cause instanceof Error && /other side closed/i.test(error.cause.message);
}

function statusCode(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status === 429 || status === 503) return 'SERVER_BUSY';
  return 'TOOL_FAILED';
}

function mib(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

async function readCapped(response: Response, url: string, maxBytes: number, budget?: ByteBudget): Promise<Buffer> {
  const tooLarge = () =>
    new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: the response is larger than ${mib(maxBytes)}; it was cut off. Narrow the query or raise the size limit.`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  const body = response.body;
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    if (budget) {
      budget.bytesLeft -= value.byteLength;
      if (budget.bytesLeft < 0) {
        await reader.cancel().catch(() => {});
        throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: the Lookup Services of this query sent more than ${mib(budget.bytes)} in all; this answer was cut off.`);
      }
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The first bytes of an error body, safe to show. */
function snippet(bytes: Buffer): string {
  let text = bytes.subarray(0, 300).toString('utf8').replace(/\s+/g, ' ').trim();
  try {
    // Elasticsearch: {"error":{"type":...,"reason":...},"status":400}
    const error = (JSON.parse(bytes.toString('utf8')) as { error?: { reason?: unknown; type?: unknown } }).error;
    if (typeof error?.reason === 'string') text = `${typeof error.type === 'string' ? `${error.type}: ` : ''}${error.reason}`;
  } catch {
    // not JSON: keep the text
  }
  return text === '' ? '' : ` ${describe(text.length > 200 ? text.slice(0, 200) : text)}`;
}

/** `{` and `[` bytes: an upper bound on the objects and arrays JSON.parse would build (brackets inside strings count too). */
function containers(bytes: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i];
    if (b === 0x7b || b === 0x5b) count += 1;
  }
  return count;
}

export interface HttpJson {
  status: number;
  json: unknown;
  bytes: number;
}

/**
 * GET or POST and parse JSON. Non-2xx answers throw with the status mapped to an error code (an
 * Elasticsearch error body's reason is included); so do oversize, truncated and non-JSON bodies.
 */
export async function requestJson(url: string, request: HttpRequest): Promise<HttpJson> {
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  try {
    const init: RequestInit = {
      method: request.method ?? 'GET',
      headers: request.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
      redirect: 'follow',
    };
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      // A kept-alive connection the server has since closed fails before any answer: ask once more
      // on a fresh one (every request here is a read, safe to repeat).
      if (request.signal.aborted || !isStaleConnection(error)) throw error;
      response = await fetch(url, init);
    }
    if (!response.ok) {
      const body = await readCapped(response, url, 64 * 1024).catch(() => Buffer.alloc(0));
      throw new WorkbenchError(statusCode(response.status), `${url}: HTTP ${response.status}${snippet(body)}.`);
    }
    const bytes = await readCapped(response, url, maxBytes, request.budget);
    if (containers(bytes) > MAX_JSON_CONTAINERS) {
      throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: the response holds more than ${MAX_JSON_CONTAINERS} JSON objects and arrays; refused before parsing.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new WorkbenchError('UNPARSEABLE_OUTPUT', `${url}: the response is not JSON (${describe((error as Error).message)}).`);
    }
    return { status: response.status, json, bytes: bytes.byteLength };
  } catch (error) {
    throw requestError(error, url, request.signal);
  }
}
