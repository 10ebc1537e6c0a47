import { ipFamily } from '../../shared/ip.ts';
import { startOwampServer } from '../../core/measure/owamp/server.ts';
import { startTwampServer } from '../../core/measure/twamp/server.ts';
import { startTwampLightReflector } from '../../core/measure/twamp/light.ts';
import { resolveClock } from '../../core/measure/oneway/clock-error.ts';
import { intOption, parse } from '../args.ts';
import { clockErrorOption } from './oneway-run.ts';
import { EXIT, safeText, UsageError, type CliIO } from '../io.ts';

export const RESPONDER_HELP = `Usage: psw responder owamp|twamp|twamp-light [--listen ADDRESS] [--port N|0] [--clock-sync] [--clock-error MS] [--json]

Answers OWAMP (one-way, default port 861), TWAMP (862) or TWAMP-Light tests, so two workbenches
can test each other. Unauthenticated mode only. Listens on 127.0.0.1 unless --listen names an
address (e.g. 0.0.0.0 or ::). --port 0 picks a free port. --clock-sync says this host's clock is NTP-synchronised
(the workbench cannot check it); without it timestamps are marked unsynchronised. --clock-error MS
(0.001-10000) is the error its timestamps declare; default with --clock-sync: chrony's bound
(chronyc tracking), else 10 ms. Runs until interrupted.
`;

export async function responderCommand(argv: string[], io: CliIO, stop: AbortSignal): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind !== 'owamp' && kind !== 'twamp' && kind !== 'twamp-light') throw new UsageError(RESPONDER_HELP);
  const { values, positionals } = parse(rest, { listen: { type: 'string' }, port: { type: 'string' }, 'clock-sync': { type: 'boolean', default: false }, 'clock-error': { type: 'string' } });
  if (positionals.length) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  const clock = await resolveClock({ synchronized: values['clock-sync'], errorMs: clockErrorOption(values['clock-error']) });
  const host = values.listen ?? '127.0.0.1';
  if (ipFamily(host) === null) throw new UsageError('--listen takes an IP address.');
  const port = intOption(values.port, 'port', 0, 65535) ?? (kind === 'owamp' ? 861 : 862);
  const onEvent = (event: unknown) => {
    if (values.json) io.out(`${JSON.stringify(event)}\n`);
    else io.err(`${safeText(JSON.stringify(event))}\n`);
  };
  const handle =
    kind === 'owamp'
      ? await startOwampServer({ host, port, onEvent, clock })
      : kind === 'twamp'
        ? await startTwampServer({ host, port, onEvent, clock })
        : await startTwampLightReflector({ host, port, clock });
  const announce = { responder: kind, host: handle.host, port: handle.port, clock: { synchronized: clock.synchronized, errorMs: clock.errorSeconds === undefined ? null : clock.errorSeconds * 1000, source: clock.source } };
  if (values.json) io.out(`${JSON.stringify(announce)}\n`);
  else io.out(`${kind} responder listening on ${handle.host.includes(':') ? `[${handle.host}]` : handle.host}:${handle.port} (unauthenticated)\n`);
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
  await handle.close();
  return EXIT.ok;
}
