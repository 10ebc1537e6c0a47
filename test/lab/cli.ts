// `npm run lab -- up|down|list`: the lab by hand. Labs made here outlive the command (until `down`).
import { parseArgs } from 'node:util';
import { IPERF3_PORT, Lab, LabUnavailableError } from './lab.ts';
import { isLabId, parseLabNamespace } from './names.ts';
import { labNamespaces, listRecords, ownerAlive, reapStaleLabs, destroyLabSync } from './registry.ts';
import { topologyByName, TOPOLOGIES } from './topology.ts';

const USAGE = `Usage: npm run lab -- <command>

  up <topology> [--id ID] [--iperf3]   build a lab and leave it running; prints hosts and addresses
                                       (--iperf3 starts iperf3 -s on port ${IPERF3_PORT} on every host)
  down [ID...] [--all]                 remove the labs made with "up" (or only ID...) and any stale ones;
                                       --all also removes labs of test runs still in progress
  list                                 labs on this machine

Topologies: ${Object.values(TOPOLOGIES).map((t) => `\n  ${t.name.padEnd(11)} ${t.description}`).join('')}

Run commands on a node with: ip netns exec pswlab-<ID>-<node> <command>
`;

async function up(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { id: { type: 'string' }, iperf3: { type: 'boolean', default: false } } });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const lab = await Lab.up(topologyByName(name), { persistent: true, ...(values.id ? { id: values.id } : {}) });
  if (values.iperf3) for (const host of lab.nodes('host')) await lab.startIperf3Server(host);
  process.stdout.write(`${lab.describe()}\n\n`);
  process.stdout.write(`Try:  ip netns exec ${lab.ns('client')} traceroute -n ${lab.addr('server')}\n`);
  process.stdout.write(`Remove it:  npm run lab -- down ${lab.id}\n`);
  return 0;
}

function down(args: string[]): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { all: { type: 'boolean', default: false } } });
  for (const id of positionals) {
    if (!isLabId(id)) {
      process.stderr.write(`Not a lab id: ${JSON.stringify(id)}\n`);
      return 2;
    }
  }
  const removed: string[] = [];
  const failures: string[] = [];
  const targets = positionals.length > 0 ? positionals : listRecords().filter((r) => values.all || r.owner === null).map((r) => r.id);
  for (const id of targets) {
    failures.push(...destroyLabSync(id));
    removed.push(id);
  }
  if (positionals.length === 0) removed.push(...reapStaleLabs({ everything: values.all }));
  process.stdout.write(removed.length > 0 ? `Removed lab(s): ${[...new Set(removed)].join(', ')}\n` : 'No labs to remove.\n');
  const remaining = listRecords();
  if (remaining.length > 0) process.stdout.write(`Still running (owned by live test runs; --all removes them): ${remaining.map((r) => r.id).join(', ')}\n`);
  for (const failure of failures) process.stderr.write(`${failure}\n`);
  return failures.length > 0 ? 1 : 0;
}

function list(): number {
  const records = listRecords();
  const orphans = new Set(labNamespaces().map((ns) => parseLabNamespace(ns)?.labId ?? ''));
  for (const record of records) {
    orphans.delete(record.id);
    const owner = record.owner === null ? 'made by hand' : ownerAlive(record.owner) ? `test run, pid ${record.owner.pid}` : `stale (pid ${record.owner.pid} is gone)`;
    process.stdout.write(`${record.id.padEnd(9)} ${record.topology.padEnd(11)} ${record.createdAt}  ${owner}  namespaces: ${labNamespaces(record.id).length}\n`);
  }
  for (const id of orphans) process.stdout.write(`${id.padEnd(9)} (no record: stale namespaces)\n`);
  if (records.length === 0 && orphans.size === 0) process.stdout.write('No labs.\n');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'up') return await up(rest);
    if (command === 'down') return down(rest);
    if (command === 'list') return list();
    process.stderr.write(USAGE);
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
  } catch (error) {
    process.stderr.write(`lab: ${(error as Error).message}\n`);
    return error instanceof LabUnavailableError ? 3 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
