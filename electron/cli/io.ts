import { WorkbenchError } from '../shared/errors.ts';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

const writable = (stream: NodeJS.WriteStream) => (text: string) => {
  if (!stream.destroyed && stream.writable) stream.write(text);
};

export const processIO: CliIO = {
  out: writable(process.stdout),
  err: writable(process.stderr),
  isTTY: Boolean(process.stdout.isTTY),
};

/** A usage problem: exit status 2, message on stderr. */
export class UsageError extends WorkbenchError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
    this.name = 'UsageError';
  }
}

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Anything printed to a terminal that came from outside (tool output, host names) is defanged. */
export const safeText = (text: string): string => text.replace(CONTROL, '?');
