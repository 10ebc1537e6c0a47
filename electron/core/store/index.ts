import { CompareStore } from './compare.ts';
import { closeDatabase, openDatabase, type DB } from './database.ts';
import { PathStore } from '../measure/trace/store.ts';
import { DiagnosisStore } from './diagnoses.ts';
import { OnewayStore } from './oneway.ts';
import { DiscoveryStore } from './discovery.ts';
import { SettingsStore } from './settings.ts';
import { RunStore } from './runs.ts';
import { ThroughputStore } from './throughput.ts';
import { TimelineStore } from './timeline.ts';

/** The store: one connection, one named-query object per domain. */
export class Store {
  readonly db: DB;
  readonly runs: RunStore;
  readonly throughput: ThroughputStore;
  readonly compare: CompareStore;
  readonly timeline: TimelineStore;
  readonly discovery: DiscoveryStore;
  readonly settings: SettingsStore;
  readonly diagnoses: DiagnosisStore;
  readonly paths: PathStore;
  readonly oneway: OnewayStore;

  constructor(path: string) {
    this.db = openDatabase(path);
    this.timeline = new TimelineStore(this.db);
    this.runs = new RunStore(this.db, this.timeline);
    this.throughput = new ThroughputStore(this.db);
    this.compare = new CompareStore(this.db);
    this.discovery = new DiscoveryStore(this.db);
    this.settings = new SettingsStore(this.db);
    this.diagnoses = new DiagnosisStore(this.db);
    this.paths = new PathStore(this.db);
    this.oneway = new OnewayStore(this.db);
  }

  close(): void {
    closeDatabase(this.db);
  }
}
