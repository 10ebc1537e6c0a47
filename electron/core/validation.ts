import type { z } from 'zod';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A zod error as one readable line: "Invalid input: target.host: not a valid host name or IP address". */
export function formatIssues(error: z.ZodError, what = 'Invalid input'): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.') || 'input';
    return `${path}: ${issue.message}`.replace(CONTROL, '?');
  });
  return `${what}: ${parts.join('; ')}`;
}
