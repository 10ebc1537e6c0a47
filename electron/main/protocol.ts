import { readFile } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { contentTypeFor } from '../shared/mime.ts';
import { CONTENT_SECURITY_POLICY } from './security.ts';


/**
 * Serves the built renderer on app://workbench/ instead of file:// (checklist item 18): paths are
 * resolved inside the renderer directory only, every response carries the CSP header.
 */
export function rendererResponder(rendererDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': contentTypeFor(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  };
}
