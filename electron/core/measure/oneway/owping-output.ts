import { WorkbenchError } from '../../../shared/errors.ts';
import { errorEstimateNearest } from './error-estimate.ts';
import { RecordLog } from './records.ts';
import { TwampRecordLog } from '../twamp/records.ts';

/**
 * Parsers for what perfSONAR's owping/twping/owstats print (owamp 5.x): the machine summary
 * (-M, "SUMMARY 3.00"), raw records (-R) and the human text summary, so results from a system
 * owping can sit next to ours. Input is untrusted tool output: sizes are capped, unknown lines
 * are skipped, nothing is evaluated.
 */

const MAX_TEXT = 64 * 1024 * 1024;

function guard(text: string): string {
  if (text.length > MAX_TEXT) throw new WorkbenchError('UNPARSEABLE_OUTPUT', 'owping output larger than 64 MiB.');
  return text;
}

// ---------------------------------------------------------------------------------------------
// -M

export interface OwpingMachineSummary {
  /** twping's summary carries _FWD/_BCK keys. */
  twoWay: boolean;
  sid: string | null;
  from: { host: string | null; address: string | null; port: number | null };
  to: { host: string | null; address: string | null; port: number | null };
  /** NTP 64-bit timestamps, exact. */
  startTime: bigint | null;
  endTime: bigint | null;
  dscp: number | null;
  lossTimeout: bigint | null;
  paddingLength: number | null;
  sessionPacketCount: number | null;
  samplePacketCount: number | null;
  bucketWidth: number | null;
  finished: boolean | null;
  sent: number | null;
  lost: number | null;
  synchronized: boolean | null;
  /** Every numeric key as printed (seconds for delays): MIN, MEDIAN_FWD, PDV, DUPS_BCK, … */
  values: Record<string, number>;
  /** <BUCKETS>: [bucket, count…] (one count for owping, three for twping). */
  buckets: number[][];
  ttlBuckets: number[][];
  reordering: number[][];
}

export function parseOwpingMachine(text: string): OwpingMachineSummary[] {
  const sessions: OwpingMachineSummary[] = [];
  let current: OwpingMachineSummary | null = null;
  let section: 'buckets' | 'ttl' | 'reordering' | null = null;
  const strings = new Map<string, string>();
  const finish = () => {
    if (!current) return;
    const str = (key: string) => strings.get(key) ?? null;
    const big = (key: string) => {
      const v = str(key);
      return v !== null && /^\d{1,20}$/.test(v) ? BigInt(v) : null;
    };
    const num = (key: string) => current?.values[key] ?? null;
    const dscp = str('DSCP');
    Object.assign(current, {
      twoWay: 'MIN_FWD' in current.values || 'DUPS_FWD' in current.values || 'MAXERR_FWD' in current.values,
      sid: str('SID'),
      from: { host: str('FROM_HOST'), address: str('FROM_ADDR'), port: num('FROM_PORT') },
      to: { host: str('TO_HOST'), address: str('TO_ADDR'), port: num('TO_PORT') },
      startTime: big('START_TIME'),
      endTime: big('END_TIME'),
      dscp: dscp && /^0x[0-9a-f]+$/i.test(dscp) ? parseInt(dscp, 16) : null,
      lossTimeout: big('LOSS_TIMEOUT'),
      paddingLength: num('PACKET_PADDING'),
      sessionPacketCount: num('SESSION_PACKET_COUNT'),
      samplePacketCount: num('SAMPLE_PACKET_COUNT'),
      bucketWidth: num('BUCKET_WIDTH'),
      finished: num('SESSION_FINISHED') === null ? null : num('SESSION_FINISHED') === 1,
      sent: num('SENT'),
      lost: num('LOST'),
      synchronized: num('SYNC') === null ? null : num('SYNC') === 1,
    });
    sessions.push(current);
    strings.clear();
  };
  for (const raw of guard(text).split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('SUMMARY\t')) {
      finish();
      current = {
        twoWay: false,
        sid: null,
        from: { host: null, address: null, port: null },
        to: { host: null, address: null, port: null },
        startTime: null,
        endTime: null,
        dscp: null,
        lossTimeout: null,
        paddingLength: null,
        sessionPacketCount: null,
        samplePacketCount: null,
        bucketWidth: null,
        finished: null,
        sent: null,
        lost: null,
        synchronized: null,
        values: {},
        buckets: [],
        ttlBuckets: [],
        reordering: [],
      };
      section = null;
      continue;
    }
    if (!current) continue;
    const tag = /^<(\/?)(BUCKETS|TTLBUCKETS|NREORDERING)>$/.exec(line.trim());
    if (tag) {
      section = tag[1] ? null : tag[2] === 'BUCKETS' ? 'buckets' : tag[2] === 'TTLBUCKETS' ? 'ttl' : 'reordering';
      continue;
    }
    if (section) {
      const numbers = line.trim().split('\t').map(Number);
      if (numbers.length >= 2 && numbers.every(Number.isFinite)) {
        (section === 'buckets' ? current.buckets : section === 'ttl' ? current.ttlBuckets : current.reordering).push(numbers);
      }
      continue;
    }
    const kv = /^([A-Z_]{2,32})\t(.{0,256})$/.exec(line);
    if (!kv) continue;
    const [, key = '', value = ''] = kv;
    strings.set(key, value);
    if (/^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(value) && key !== 'START_TIME' && key !== 'END_TIME' && key !== 'LOSS_TIMEOUT' && key !== 'SID') {
      current.values[key] = Number(value);
    }
  }
  finish();
  return sessions;
}

// ---------------------------------------------------------------------------------------------
// -R

export interface OwpingRawRecord {
  seq: number;
  sendTime: bigint;
  sendSync: boolean;
  sendError: number;
  recvTime: bigint;
  recvSync: boolean;
  recvError: number;
  ttl: number;
}

export interface TwpingRawRecord {
  /** The sender's packet as the reflector saw it. */
  sent: OwpingRawRecord;
  /** The reflection as the sender saw it. */
  reflected: OwpingRawRecord;
}

const RAW_FIELD = /^\d+$/;

function rawRecord(fields: string[]): OwpingRawRecord | null {
  const [seq, stime, ss, serr, rtime, rs, rerr, ttl] = fields;
  if (![seq, stime, ss, rtime, rs, ttl].every((f) => f !== undefined && RAW_FIELD.test(f))) return null;
  const sendError = Number(serr);
  const recvError = Number(rerr);
  if (!Number.isFinite(sendError) || !Number.isFinite(recvError)) return null;
  const record: OwpingRawRecord = {
    seq: Number(seq),
    sendTime: BigInt(stime as string),
    sendSync: ss === '1',
    sendError,
    recvTime: BigInt(rtime as string),
    recvSync: rs === '1',
    recvError,
    ttl: Number(ttl),
  };
  if (record.seq > 0xffff_ffff || record.ttl > 255 || record.sendTime >= 1n << 64n || record.recvTime >= 1n << 64n) return null;
  return record;
}

/**
 * owping -R: one record per line, sessions back to back with no separator ("to" first, then
 * "from"). Records are in arrival order, lost ones wherever the receiver declared them, so a new
 * session is recognised by a sequence number seen before with a different send time: a duplicate
 * carries the same timestamp as its first copy, the other session's packet never does.
 */
export function parseOwpingRaw(text: string): OwpingRawRecord[][] {
  const sessions: OwpingRawRecord[][] = [];
  let current: OwpingRawRecord[] = [];
  let sendTimes = new Map<number, bigint>();
  for (const line of guard(text).split('\n')) {
    const record = rawRecord(line.trim().split(/\s+/));
    if (!record) continue;
    const seen = sendTimes.get(record.seq);
    if (seen !== undefined && seen !== record.sendTime) {
      sessions.push(current);
      current = [];
      sendTimes = new Map();
    }
    if (!sendTimes.has(record.seq)) sendTimes.set(record.seq, record.sendTime);
    current.push(record);
  }
  if (current.length > 0) sessions.push(current);
  return sessions;
}

/** twping -R: 16 columns, the sender's packet at the reflector then the reflection at the sender. */
export function parseTwpingRaw(text: string): TwpingRawRecord[] {
  const records: TwpingRawRecord[] = [];
  for (const line of guard(text).split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 16) continue;
    const sent = rawRecord(fields.slice(0, 8));
    const reflected = rawRecord(fields.slice(8, 16));
    if (sent && reflected) records.push({ sent, reflected });
  }
  return records;
}

/** Raw owping records as our RecordLog, so our statistics can run on a system owping's data. */
export function owpingRawToLog(records: readonly OwpingRawRecord[]): RecordLog {
  const log = new RecordLog(Math.max(1, records.length));
  for (const r of records) {
    log.push({
      seq: r.seq,
      sendTime: r.sendTime,
      recvTime: r.recvTime,
      sendError: errorEstimateNearest(r.sendError, r.sendSync),
      recvError: errorEstimateNearest(r.recvError, r.recvSync),
      ttl: r.ttl,
    });
  }
  return log;
}

/**
 * Raw twping records as our TwampRecordLog: t1 = sender send, t2 = reflector receive,
 * t3 = reflector send, t4 = sender receive; lost when the reflector never saw it.
 */
export function twpingRawToLog(records: readonly TwpingRawRecord[]): TwampRecordLog {
  const log = new TwampRecordLog(Math.max(1, records.length));
  for (const { sent, reflected } of records) {
    const lost = sent.recvTime === 0n || reflected.recvTime === 0n;
    log.push({
      senderSeq: sent.seq,
      reflectorSeq: reflected.seq,
      t1: sent.sendTime,
      t2: lost ? 0n : sent.recvTime,
      t3: lost ? 0n : reflected.sendTime,
      t4: lost ? 0n : reflected.recvTime,
      senderError: errorEstimateNearest(sent.sendError, sent.sendSync),
      reflectorError: errorEstimateNearest(reflected.sendError, reflected.sendSync),
      receiveError: errorEstimateNearest(reflected.recvError, reflected.recvSync),
      senderTtl: sent.ttl,
      reflectedTtl: reflected.ttl,
    });
  }
  return log;
}

// ---------------------------------------------------------------------------------------------
// Text summary

export interface DelayTriple {
  min: number | null;
  median: number | null;
  max: number | null;
  /** "(err=… )" value in seconds, or null when "(unsync)". */
  error: number | null;
  unsync: boolean;
}

export interface OwpingTextSummary {
  tool: 'owping' | 'twping';
  from: { host: string; port: number | null };
  to: { host: string; port: number | null };
  sid: string | null;
  first: string | null;
  last: string | null;
  sent: number | null;
  lost: number | null;
  lossPercent: number | null;
  duplicates: number | null;
  sendDuplicates: number | null;
  reflectDuplicates: number | null;
  /** Seconds. owping: "one-way delay"; twping: "round-trip time". */
  delay: DelayTriple | null;
  sendTime: DelayTriple | null;
  reflectTime: DelayTriple | null;
  processing: { min: number | null; max: number | null } | null;
  /** P95−P50 jitter lines by label ("one-way", "two-way", "send", "reflect"), seconds, null = nan. */
  jitter: Record<string, number | null>;
  percentiles: Record<string, number | null>;
  hops: string[];
  reordering: string[];
  clocksOffsetWarning: boolean;
}

const UNIT: Record<string, number> = { s: 1, '': 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };

function scaled(value: string, unit: string): number | null {
  if (value === 'nan') return null;
  const n = Number(value);
  const factor = UNIT[unit];
  return Number.isFinite(n) && factor !== undefined ? n * factor : null;
}

function endpoint(text: string): { host: string; port: number | null } {
  const match = /^\[(.{1,260})\]:(\d{0,5})$/.exec(text);
  return match ? { host: match[1] as string, port: match[2] ? Number(match[2]) : null } : { host: text, port: null };
}

export function parseOwpingText(text: string): OwpingTextSummary[] {
  const blocks: OwpingTextSummary[] = [];
  let current: OwpingTextSummary | null = null;
  let warning = false;
  let inPercentiles = false;
  for (const raw of guard(text).split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('Directional delays may be inaccurate')) {
      warning = true;
      continue;
    }
    const header = /^--- (owping|twping) statistics from (\S{1,270}) to (\S{1,270}) ---$/.exec(line);
    if (header) {
      current = {
        tool: header[1] as 'owping' | 'twping',
        from: endpoint(header[2] as string),
        to: endpoint(header[3] as string),
        sid: null,
        first: null,
        last: null,
        sent: null,
        lost: null,
        lossPercent: null,
        duplicates: null,
        sendDuplicates: null,
        reflectDuplicates: null,
        delay: null,
        sendTime: null,
        reflectTime: null,
        processing: null,
        jitter: {},
        percentiles: {},
        hops: [],
        reordering: [],
        clocksOffsetWarning: warning,
      };
      warning = false;
      inPercentiles = false;
      blocks.push(current);
      continue;
    }
    if (!current) continue;
    let m: RegExpExecArray | null;
    if ((m = /^SID:\t([0-9a-f]{32})$/.exec(line))) current.sid = m[1] as string;
    else if ((m = /^first:\t(.{1,40})$/.exec(line))) current.first = m[1] as string;
    else if ((m = /^last:\t(.{1,40})$/.exec(line))) current.last = m[1] as string;
    else if ((m = /^(\d+) sent, (\d+) lost \(([\d.]+|nan)%\), (?:(\d+) duplicates|(\d+) send duplicates, (\d+) reflect duplicates)$/.exec(line))) {
      current.sent = Number(m[1]);
      current.lost = Number(m[2]);
      current.lossPercent = m[3] === 'nan' ? null : Number(m[3]);
      if (m[4] !== undefined) current.duplicates = Number(m[4]);
      else {
        current.sendDuplicates = Number(m[5]);
        current.reflectDuplicates = Number(m[6]);
      }
    } else if ((m = /^(one-way delay|round-trip time|send time|reflect time) min\/median\/max = (\S+)\/(\S+)\/(\S+) (ms|us|ns|s|), \((unsync|err=(\S+) (ms|us|ns|s|))\)$/.exec(line))) {
      const unit = m[5] as string;
      const triple: DelayTriple = {
        min: scaled(m[2] as string, unit),
        median: scaled(m[3] as string, unit),
        max: scaled(m[4] as string, unit),
        error: m[6] === 'unsync' ? null : scaled(m[7] as string, m[8] as string),
        unsync: m[6] === 'unsync',
      };
      if (m[1] === 'send time') current.sendTime = triple;
      else if (m[1] === 'reflect time') current.reflectTime = triple;
      else current.delay = triple;
    } else if ((m = /^reflector processing time min\/max = (\S+)\/(\S+) (ms|us|ns|s|)$/.exec(line))) {
      current.processing = { min: scaled(m[1] as string, m[3] as string), max: scaled(m[2] as string, m[3] as string) };
    } else if ((m = /^(one-way|two-way|send|reflect) jitter = (\S+) (ms|us|ns|s|) \(P95-P50\)$/.exec(line))) {
      current.jitter[m[1] as string] = scaled(m[2] as string, m[3] as string);
    } else if (line === 'Percentiles:') {
      inPercentiles = true;
    } else if (inPercentiles && (m = /^\t([\d.]+): (\S+) (ms|us|ns|s|)$/.exec(line))) {
      current.percentiles[m[1] as string] = scaled(m[2] as string, m[3] as string);
    } else if (/hops|TTL not reported/.test(line)) {
      inPercentiles = false;
      current.hops.push(line);
    } else if (/reordering/.test(line)) {
      current.reordering.push(line);
    }
  }
  return blocks;
}
