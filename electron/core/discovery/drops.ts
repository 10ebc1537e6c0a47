import type { DropCounts } from '../../shared/hosts.ts';

/** Counts what was refused, by reason, so nothing is dropped silently. */
export class DropCounter {
  readonly #counts = new Map<string, number>();

  add(reason: string, count = 1): void {
    if (count > 0) this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + count);
  }

  merge(other: DropCounts): void {
    for (const [reason, count] of Object.entries(other)) this.add(reason, count);
  }

  get total(): number {
    let total = 0;
    for (const count of this.#counts.values()) total += count;
    return total;
  }

  toJSON(): DropCounts {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
