import { fileURLToPath } from 'node:url';
import type { Workbench } from '../../core/workbench.ts';
import { startServer } from '../../serve/server.ts';
import { intOption, parse } from '../args.ts';
import { EXIT, UsageError, type CliIO } from '../io.ts';

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

/** Serves until the signal fires; prints the URL (with its token) on stdout. */
export async function serveCommand(workbench: Workbench, argv: string[], io: CliIO, stop: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, { port: { type: 'string' }, static: { type: 'string' } });
  if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  const port = intOption(values.port, 'port', 0, 65535) ?? 0;
  const server = await startServer({ workbench, port, staticDir: values.static ?? DEFAULT_STATIC_DIR });
  if (values.json) io.out(`${JSON.stringify({ url: server.url, port: server.port, token: server.token })}\n`);
  else io.out(`pS Workbench is served at ${server.url}\n(loopback only; the token in the address is required)\n`);
  await new Promise<void>((done) => {
    if (stop.aborted) done();
    else stop.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  return EXIT.ok;
}
