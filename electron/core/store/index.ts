import { CompareStore } from './compare.ts';
import { closeDatabase, openDatabase, type DB } from './database.ts';
import { RunStore } from './runs.ts';
import { ThroughputStore } from './throughput.ts';

/** The store: one connection, one named-query object per domain. */
export class Store {
  readonly db: DB;
  readonly runs: RunStore;
  readonly throughput: ThroughputStore;
  readonly compare: CompareStore;

  constructor(path: string) {
    this.db = openDatabase(path);
    this.runs = new RunStore(this.db);
    this.throughput = new ThroughputStore(this.db);
    this.compare = new CompareStore(this.db);
  }

  close(): void {
    closeDatabase(this.db);
  }
}
