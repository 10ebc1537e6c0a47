import { nft, nftScript } from './commands.ts';

export const TABLE = 'pswlab';

/**
 * Neighbour resolution (IPv6 neighbour discovery and IPv4 ARP) is marked so that policy routing
 * never sends it through a delay line: rule 3 sends marked packets straight to the local table.
 *
 * ARP needs this as much as ND. It is not IP and is never forwarded, but before a router answers
 * "who has <my address>" the kernel routes the target address as if a packet to it had come in on
 * that interface (arp_process → ip_route_input), and it answers only if that gives a local route.
 * An ingress delay line's rule (`iif to-r1 lookup <line>`) routes the router's own addresses into
 * the TUN device, so without the mark the router stops answering ARP on the delayed link. Nothing
 * shows until a neighbour entry across the link has to be confirmed (its unicast probes 5 s after
 * it went stale, or a fresh broadcast request); then it fails and the link drops everything
 * forwarded over it, IPv4 only, for seconds at a time.
 */
export const ND_MARK = '0x1';

/** Chains of the lab's nftables table in every namespace that has a fault. */
export type Chain = 'loss' | 'delay' | 'pmtu';

const TABLE_SCRIPT = `
table inet ${TABLE} {
  chain loss {
    type filter hook prerouting priority raw;
  }
  chain delay {
    type filter hook prerouting priority mangle;
    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert, nd-redirect } meta mark set ${ND_MARK}
  }
  chain pmtu {
    type filter hook output priority filter;
  }
}
table arp ${TABLE} {
  chain neighbours {
    type filter hook input priority filter;
    meta mark set ${ND_MARK}
  }
}
`;

/** Per namespace: the table exists once, rules come and go by handle. */
export class Firewall {
  readonly #ready = new Map<string, Promise<unknown>>();

  #ensureTable(ns: string): Promise<unknown> {
    let ready = this.#ready.get(ns);
    if (!ready) {
      ready = nftScript(ns, TABLE_SCRIPT);
      this.#ready.set(ns, ready);
    }
    return ready;
  }

  /** Adds a rule (nft syntax as argv words) and returns its handle. */
  async add(ns: string, chain: Chain, words: readonly string[], comment: string): Promise<number> {
    await this.#ensureTable(ns);
    const result = await nft(ns, ['--echo', '--handle', 'add', 'rule', 'inet', TABLE, chain, ...words, 'comment', `"${comment}"`]);
    const handle = /# handle (\d+)/.exec(String(result.stdout));
    if (!handle) throw new Error(`nft did not report a handle for ${words.join(' ')}: ${String(result.stdout)}`);
    return Number(handle[1]);
  }

  /** Deletes a rule; one that is already gone is fine. */
  async remove(ns: string, chain: Chain, handle: number): Promise<void> {
    const result = await nft(ns, ['delete', 'rule', 'inet', TABLE, chain, 'handle', String(handle)], { reject: false });
    if (result.exitCode !== 0 && !/No such file or directory/.test(String(result.stderr))) {
      throw new Error(`nft could not delete rule ${handle} from ${chain} in ${ns}: ${String(result.stderr).trim()}`);
    }
  }

  /** Makes sure the tables (and with them the ND and ARP marks) exist before policy routing relies on them. */
  async prepare(ns: string): Promise<void> {
    await this.#ensureTable(ns);
  }
}
