import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import type { LiveInterval } from '../../../shared/throughput.ts';
import { toolEnv } from '../tool-env.ts';
import { Iperf3Json, type Iperf3Json as Iperf3JsonType } from './report.ts';
import { z } from 'zod';



const StreamEvent = z.looseObject({ event: z.string().max(64), data: z.unknown() });

/**
 * Assembles iperf3 --json-stream output (one JSON event per line) into the same document -J
 * prints, and hands each interval to `onInterval` as it arrives.
 */
export class JsonStreamAssembler {
  readonly report: Iperf3JsonType = {};
  readonly #intervals: unknown[] = [];
  #garbage = 0;

  push(line: string): unknown | null {
    const trimmed = line.trim();
    if (!trimmed) return null;
    let event: z.output<typeof StreamEvent>;
    try {
      event = StreamEvent.parse(JSON.parse(trimmed));
    } catch {
      this.#garbage += 1;
      return null;
    }
    switch (event.event) {
      case 'start':
      case 'end':
      case 'error':
      case 'server_output_json':
      case 'server_output_text': {
        const candidate = Iperf3Json.safeParse({ [event.event]: event.data });
        if (candidate.success) Object.assign(this.report, candidate.data);
        else this.#garbage += 1;
        return null;
      }
      case 'interval':
        this.#intervals.push(event.data);
        return event.data;
      default:
        return null;
    }
  }

  /** The assembled document, validated as a whole like -J output. */
  document(): Iperf3JsonType {
    const parsed = Iperf3Json.safeParse({ ...this.report, intervals: this.#intervals });
    if (!parsed.success) return { ...this.report, intervals: [] };
    return parsed.data;
  }

  get garbageLines(): number {
    return this.#garbage;
  }
}

export interface SocketSample {
  pid: number | null;
  bytesAcked: number;
  bytesReceived: number;
  retransTotal: number;
  rttMs: number | null;
  rttVarMs: number | null;
  cwndBytes: number | null;
  pmtu: number | null;
}

/** Parses `ss -tinpH` output (Linux iproute2) into one record per TCP socket. */
export function parseSsOutput(text: string): SocketSample[] {
  const samples: SocketSample[] = [];
  let current: SocketSample | null = null;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) {
      const pid = /pid=(\d+)/.exec(line);
      current = { pid: pid ? Number(pid[1]) : null, bytesAcked: 0, bytesReceived: 0, retransTotal: 0, rttMs: null, rttVarMs: null, cwndBytes: null, pmtu: null };
      samples.push(current);
      continue;
    }
    if (!current) continue;
    const field = (name: string) => new RegExp(`(?:^|\\s)${name}:([\\d.]+)(?:/([\\d.]+))?`).exec(line);
    const acked = field('bytes_acked');
    const received = field('bytes_received');
    const retrans = field('retrans');
    const rtt = field('rtt');
    const cwnd = field('cwnd');
    const mss = field('mss');
    const pmtu = field('pmtu');
    if (acked) current.bytesAcked = Number(acked[1]);
    if (received) current.bytesReceived = Number(received[1]);
    if (retrans) current.retransTotal = Number(retrans[2] ?? retrans[1]);
    if (rtt) {
      current.rttMs = Number(rtt[1]);
      current.rttVarMs = rtt[2] !== undefined ? Number(rtt[2]) : null;
    }
    if (cwnd && mss) current.cwndBytes = Number(cwnd[1]) * Number(mss[1]);
    if (pmtu) current.pmtu = Number(pmtu[1]);
  }
  return samples;
}

export interface SamplerOptions {
  pid: number;
  protocol: 'tcp' | 'udp';
  reverse: boolean;
  ssPath: string | null;
  onInterval: (interval: LiveInterval) => void;
  intervalMs?: number;
}

/**
 * Live progress for iperf3 builds without --json-stream (< 3.17), where -J prints only at the end.
 * On Linux it samples the child's own sockets each second: TCP through `ss`, UDP through the
 * byte counters in /proc/<pid>/io. The values are provisional: iperf3's own intervals replace
 * them when the test ends. Returns a function that stops sampling.
 */
export function startSocketSampler(options: SamplerOptions): () => void {
  const period = options.intervalMs ?? 1000;
  let previous: { at: number; bytes: number; retrans: number } | null = null;
  let seq = 0;
  let stopped = false;
  const started = Date.now();

  const read = async (): Promise<{ bytes: number; retrans: number | null; rtt: number | null; rttvar: number | null; cwnd: number | null; pmtu: number | null } | null> => {
    if (options.protocol === 'udp' || !options.ssPath) {
      const io = await readFile(`/proc/${options.pid}/io`, 'utf8').catch(() => null);
      if (!io) return null;
      const counter = new RegExp(`^${options.reverse ? 'rchar' : 'wchar'}:\\s*(\\d+)`, 'm').exec(io);
      return counter ? { bytes: Number(counter[1]), retrans: null, rtt: null, rttvar: null, cwnd: null, pmtu: null } : null;
    }
    const result = await execa(options.ssPath, ['-tinpH'], { reject: false, timeout: 2000, extendEnv: false, env: toolEnv() });
    const sockets = parseSsOutput(String(result.stdout)).filter((s) => s.pid === options.pid);
    if (sockets.length === 0) return null;
    const moved = (s: SocketSample) => (options.reverse ? s.bytesReceived : s.bytesAcked);
    // The control connection carries a few hundred bytes; the data streams carry the rest.
    const data = sockets.length > 1 ? sockets.filter((s) => moved(s) > 65536 || s.cwndBytes !== null && moved(s) > 0) : sockets;
    const rtts = data.map((s) => s.rttMs).filter((v): v is number => v !== null);
    const vars = data.map((s) => s.rttVarMs).filter((v): v is number => v !== null);
    const cwnds = data.map((s) => s.cwndBytes).filter((v): v is number => v !== null);
    const pmtus = data.map((s) => s.pmtu).filter((v): v is number => v !== null);
    return {
      bytes: data.reduce((a, s) => a + moved(s), 0),
      retrans: options.reverse ? null : data.reduce((a, s) => a + s.retransTotal, 0),
      rtt: options.reverse || !rtts.length ? null : Math.round((rtts.reduce((a, b) => a + b, 0) / rtts.length) * 1000),
      rttvar: options.reverse || !vars.length ? null : Math.round((vars.reduce((a, b) => a + b, 0) / vars.length) * 1000),
      cwnd: options.reverse || !cwnds.length ? null : cwnds.reduce((a, b) => a + b, 0),
      pmtu: pmtus.length ? Math.min(...pmtus) : null,
    };
  };

  const tick = async () => {
    if (stopped) return;
    const now = Date.now();
    const sample = await read().catch(() => null);
    if (stopped || !sample) return;
    if (previous && now > previous.at) {
      const seconds = (now - previous.at) / 1000;
      const bytes = Math.max(0, sample.bytes - previous.bytes);
      options.onInterval({
        seq,
        stream: -1,
        start: (previous.at - started) / 1000,
        end: (now - started) / 1000,
        bitsPerSecond: (bytes * 8) / seconds,
        bytes,
        retransmits: sample.retrans === null ? null : Math.max(0, sample.retrans - previous.retrans),
        cwnd: sample.cwnd,
        rtt: sample.rtt,
        rttvar: sample.rttvar,
        pmtu: sample.pmtu,
        omitted: false,
        jitterMs: null,
        lostPackets: null,
        packets: null,
        provisional: true,
      });
      seq += 1;
    }
    previous = { at: now, bytes: sample.bytes, retrans: sample.retrans ?? 0 };
  };

  const timer = setInterval(() => void tick(), period);
  void tick();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
