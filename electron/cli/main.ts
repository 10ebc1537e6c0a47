import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Workbench } from '../core/workbench.ts';
import { checkoutBundledDir } from '../core/measure/bundled.ts';
import { defaultDbPath } from '../core/paths.ts';
import { WorkbenchError } from '../shared/errors.ts';
import { COMMON_OPTIONS } from './args.ts';
import { EXIT, processIO, safeText, UsageError, type CliIO } from './io.ts';
import { RUN_HELP, runCommand, throughputRequest } from './commands/run.ts';
import { pathRequest } from './commands/path-run.ts';
import { onewayRequest } from './commands/oneway-run.ts';
import { RESPONDER_HELP, responderCommand } from './commands/responder.ts';
import { RUNS_HELP, runsCommand } from './commands/runs.ts';
import { serveCommand } from './commands/serve.ts';
import { toolsCommand } from './commands/tools.ts';
import { SELFCHECK_HELP, selfcheckCommand } from './commands/selfcheck.ts';
import { COMPARE_HELP, compareCommand } from './commands/compare.ts';
import { HOSTS_HELP, hostsCommand } from './commands/hosts.ts';
import { DIAGNOSE_HELP, diagnoseCommand } from './commands/diagnose.ts';
import { parseArgs } from 'node:util';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const HELP = `psw ${VERSION} — pS Workbench on the command line

Usage: psw <command> [options]

  hosts [--type owamp] [--near LAT,LON] [...]   find perfSONAR hosts (Lookup Service)
  run throughput --to HOST[:PORT] [...]   measure throughput with iperf3 (psw run --help)
  run latency|twamp --to HOST [...]        one-way (OWAMP) or round-trip (TWAMP) delay and loss
  run trace|rtt|mtu --to HOST [...]        the path: hops, round-trip time, path MTU
  responder owamp|twamp|twamp-light        answer OWAMP/TWAMP tests from other workbenches
  runs list | runs show ID                 stored runs
  tools [--set NAME=PATH] [--unset NAME]   external tools found, versions, capabilities; your own paths
  diagnose --to HOST [--via HOST]...       host or network, and where? (explained verdict)
  selfcheck [--rtt MS] [--rate RATE]       audit this host's TCP tuning for a path
  compare runs|timeline|families|before-after|tags ...   chart-ready comparisons (--json, --csv)
  serve [--port N]                         the UI in a browser over loopback (prints its URL)

Common options:
  --db PATH     the SQLite file (default: ${defaultDbPath()})
  --json        one JSON document on stdout
`;

/** Reads --db from anywhere in the arguments without consuming anything else. */
function dbPathFrom(argv: string[]): string {
  const { values } = parseArgs({ args: argv, options: { db: COMMON_OPTIONS.db }, strict: false, allowPositionals: true });
  const db = values.db;
  if (db === true || db === '') throw new UsageError('--db needs a path.');
  return typeof db === 'string' ? resolve(db) : defaultDbPath();
}

export async function main(argv: string[], io: CliIO = processIO, stop: AbortSignal = new AbortController().signal): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === '--version' || command === 'version') {
      io.out(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command === 'run' ? RUN_HELP : command === 'runs' ? RUNS_HELP : command === 'selfcheck' ? SELFCHECK_HELP : command === 'compare' ? COMPARE_HELP : command === 'hosts' ? HOSTS_HELP : command === 'diagnose' ? DIAGNOSE_HELP : command === 'responder' ? RESPONDER_HELP : HELP);
      return EXIT.ok;
    }
    if (!['run', 'runs', 'tools', 'serve', 'selfcheck', 'compare', 'hosts', 'diagnose', 'responder'].includes(command)) throw new UsageError(`Unknown command ${JSON.stringify(command.slice(0, 40))}.\n\n${HELP}`);

    // Everything about the request is validated before the database is opened or a tool runs.
    let request: ReturnType<typeof throughputRequest> | null = null;
    if (command === 'run') {
      const [method, ...flags] = rest;
      if (method === 'throughput') request = throughputRequest(flags);
      else if (method === 'trace' || method === 'rtt' || method === 'mtu') request = pathRequest(method, flags);
      else if (method === 'latency' || method === 'twamp') request = onewayRequest(method, flags);
      else throw new UsageError(`Unknown or missing method ${JSON.stringify(method ?? '')}.\n\n${RUN_HELP}`);
    }
    // The responder needs no database: it only answers tests.
    if (command === 'responder') return await responderCommand(rest, io, stop);
    const dbPath = dbPathFrom(rest);
    const workbench = Workbench.open({ dbPath, adapter: command === 'serve' ? 'serve' : 'cli', version: VERSION, tools: { bundledDir: checkoutBundledDir() }, backgroundRefresh: command === 'serve' });
    try {
      if (request) return await runCommand(workbench, request.input, request.json, io, stop);
      if (command === 'runs') return await runsCommand(workbench, rest, io);
      if (command === 'tools') return await toolsCommand(workbench, rest, io);
      if (command === 'selfcheck') return await selfcheckCommand(workbench, rest, io);
      if (command === 'compare') return await compareCommand(workbench, rest, io);
      if (command === 'hosts') return await hostsCommand(workbench, rest, io, stop);
      if (command === 'diagnose') return await diagnoseCommand(workbench, rest, io, stop);
      return await serveCommand(workbench, rest, io, stop);
    } finally {
      await workbench.close();
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof WorkbenchError && error.code === 'INVALID_INPUT')) {
      io.err(`psw: ${safeText(error.message)}\n`);
      return EXIT.usage;
    }
    io.err(`psw: ${safeText(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.failed;
  }
}

/** Process entry: Ctrl-C or SIGTERM cancels the run in flight (stored as cancelled), then exits. */
export async function runAsProcess(): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.cancelled);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // `psw ... | head`: the reader went away. Stop like any Unix tool would, cancelling the run cleanly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      controller.abort();
    });
  }
  const code = await main(process.argv.slice(2), processIO, controller.signal);
  process.exitCode = code;
}
