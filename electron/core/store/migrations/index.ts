import type Database from 'better-sqlite3';
import { up as initial } from './0010-initial.ts';
import { up as history } from './0020-history.ts';
import { up as timeline } from './0030-timeline.ts';
import { up as discovery } from './0040-discovery.ts';
import { up as settings } from './0050-settings.ts';
import { up as diagnoses } from './0060-diagnoses.ts';
import { up as path } from './0070-path.ts';
import { up as oneway } from './0080-oneway.ts';
import { up as latencyTimelines } from './0090-latency-timelines.ts';
import { up as runToolPid } from './0100-run-tool-pid.ts';
import { up as runsByTargetKind } from './0120-runs-by-target-kind.ts';
import { up as discoveryComplete } from './0110-discovery-complete.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** Ordered, strictly increasing, steps of 10 so a fix can slot in. Never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'initial', up: initial },
  { version: 20, name: 'history', up: history },
  { version: 30, name: 'timeline', up: timeline },
  { version: 40, name: 'discovery', up: discovery },
  { version: 50, name: 'settings', up: settings },
  { version: 60, name: 'diagnoses', up: diagnoses },
  { version: 70, name: 'path', up: path },
  { version: 80, name: 'oneway', up: oneway },
  { version: 90, name: 'latency-timelines', up: latencyTimelines },
  { version: 100, name: 'run-tool-pid', up: runToolPid },
  { version: 110, name: 'discovery-complete', up: discoveryComplete },
  { version: 120, name: 'runs-by-target-kind', up: runsByTargetKind },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
