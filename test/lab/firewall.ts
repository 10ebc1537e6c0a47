import { nft, nftScript } from './commands.ts';

export const TABLE = 'pswlab';

/** Neighbour discovery is marked so that policy routing never sends it through a delay line. */
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

  /** Makes sure the table (and with it the ND mark) exists before policy routing relies on it. */
  async prepare(ns: string): Promise<void> {
    await this.#ensureTable(ns);
  }
}
