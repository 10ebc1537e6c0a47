/**
 * A growable table of typed-array columns with a hard row cap: the in-memory form of per-packet
 * records (one-way and round-trip), compact and bounded however hostile the peer.
 */

export type ColumnKind = 'u8' | 'u16' | 'i16' | 'u32' | 'u64';

type ArrayFor<K extends ColumnKind> = K extends 'u64' ? BigUint64Array : K extends 'u8' ? Uint8Array : K extends 'u16' ? Uint16Array : K extends 'i16' ? Int16Array : Uint32Array;
type ValueFor<K extends ColumnKind> = K extends 'u64' ? bigint : number;

export type Row<S extends Record<string, ColumnKind>> = { [C in keyof S]: ValueFor<S[C]> };

function allocate(kind: ColumnKind, length: number): Uint8Array | Uint16Array | Int16Array | Uint32Array | BigUint64Array {
  switch (kind) {
    case 'u8':
      return new Uint8Array(length);
    case 'u16':
      return new Uint16Array(length);
    case 'i16':
      return new Int16Array(length);
    case 'u32':
      return new Uint32Array(length);
    case 'u64':
      return new BigUint64Array(length);
  }
}

export class ColumnarLog<S extends Record<string, ColumnKind>> {
  readonly maxRows: number;
  readonly #spec: S;
  readonly #names: Array<keyof S & string>;
  #columns: { [C in keyof S]: ArrayFor<S[C]> };
  #length = 0;

  constructor(spec: S, maxRows: number, initialCapacity = 64) {
    this.#spec = spec;
    this.#names = Object.keys(spec) as Array<keyof S & string>;
    this.maxRows = maxRows;
    this.#columns = this.#allocateAll(Math.min(initialCapacity, maxRows));
  }

  get length(): number {
    return this.#length;
  }

  get full(): boolean {
    return this.#length >= this.maxRows;
  }

  /** Appends a row; false (nothing stored) once the cap is reached. */
  push(row: Row<S>): boolean {
    if (this.#length >= this.maxRows) return false;
    const capacity = (this.#columns[this.#names[0] as keyof S] as { length: number }).length;
    if (this.#length === capacity) this.#grow(Math.min(this.maxRows, Math.max(64, capacity * 2)));
    for (const name of this.#names) (this.#columns[name] as unknown as Array<number | bigint>)[this.#length] = row[name];
    this.#length += 1;
    return true;
  }

  get(i: number): Row<S> {
    const row = {} as Record<string, number | bigint>;
    for (const name of this.#names) row[name] = (this.#columns[name] as unknown as Array<number | bigint>)[i] as number | bigint;
    return row as Row<S>;
  }

  value<C extends keyof S>(column: C, i: number): ValueFor<S[C]> {
    return (this.#columns[column] as unknown as Array<ValueFor<S[C]>>)[i] as ValueFor<S[C]>;
  }

  /** Keeps only rows for which `keep` is true, in order; returns how many were removed. */
  retain(keep: (row: Row<S>) => boolean): number {
    let write = 0;
    for (let read = 0; read < this.#length; read += 1) {
      const row = this.get(read);
      if (!keep(row)) continue;
      if (write !== read) for (const name of this.#names) (this.#columns[name] as unknown as Array<number | bigint>)[write] = row[name];
      write += 1;
    }
    const removed = this.#length - write;
    this.#length = write;
    return removed;
  }

  *[Symbol.iterator](): IterableIterator<Row<S>> {
    for (let i = 0; i < this.#length; i += 1) yield this.get(i);
  }

  #allocateAll(capacity: number): { [C in keyof S]: ArrayFor<S[C]> } {
    const columns = {} as Record<string, unknown>;
    for (const name of this.#names) columns[name] = allocate(this.#spec[name] as ColumnKind, capacity);
    return columns as { [C in keyof S]: ArrayFor<S[C]> };
  }

  #grow(capacity: number): void {
    const next = this.#allocateAll(capacity);
    for (const name of this.#names) {
      const old = this.#columns[name] as unknown as { subarray(a: number, b: number): unknown };
      (next[name] as unknown as { set(source: unknown): void }).set(old.subarray(0, this.#length));
    }
    this.#columns = next;
  }
}
