import type { HopAssessment, HopLossClass, MtuDrop, MtuProbe, PathHop } from '../../../../electron/shared/path.ts';

/** Text and colours for the path views. Pure: shared by the tables, the charts and their tests. */

/** Milliseconds as people read them: sub-millisecond RTTs keep three decimals. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return `${ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
}

export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return `${p === 0 || p >= 10 || Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)} %`;
}

export const LOSS_CLASS_COLORS: Record<HopLossClass, string> = {
  none: '#1a7f37',
  icmpRateLimited: '#8c959f',
  forwardingLoss: '#cf222e',
  noReply: '#d0d7de',
  unverified: '#bf8700',
};

export const LOSS_CLASS_LABELS: Record<HopLossClass, string> = {
  none: 'no loss',
  icmpRateLimited: 'ICMP rate limiting — not real loss',
  forwardingLoss: 'forwarding loss (persists to the destination)',
  noReply: 'silent hop (no reply) — not loss',
  unverified: 'loss at the last answering hop — unverified',
};

/** Forwarding loss drawn darker the more is lost (saturating at 50 %). */
export function forwardingLossColor(percent: number | null): string {
  const share = Math.max(0.3, Math.min(1, (percent ?? 0) / 50));
  return `rgba(207, 34, 46, ${share.toFixed(2)})`;
}

const FLAG_TEXT: Record<string, string> = {
  '!H': 'host unreachable',
  '!N': 'network unreachable',
  '!P': 'protocol unreachable',
  '!S': 'source route failed',
  '!X': 'administratively prohibited',
  '!A': 'administratively prohibited (network)',
  '!Z': 'administratively prohibited (host)',
  '!V': 'host precedence violation',
  '!C': 'precedence cut-off',
  '!U': 'destination network unknown',
  '!W': 'destination host unknown',
  '!I': 'source host isolated',
  '!Q': 'network unreachable for TOS',
  '!T': 'host unreachable for TOS',
  '!': 'reply arrived with TTL ≤ 1',
};

/** "!H" → "host unreachable", "!F-1400" → "fragmentation needed (MTU 1400)". */
export function describeFlag(flag: string): string {
  const known = FLAG_TEXT[flag];
  if (known) return known;
  const frag = /^!F-(\d+)$/.exec(flag);
  if (frag) return `fragmentation needed (MTU ${frag[1]})`;
  const code = /^!<(\d+)(?:-(\d+))?>$/.exec(flag);
  if (code) return `ICMP unreachable code ${code[2] ?? code[1]}`;
  return 'unreachable';
}

/** What a hop's loss cell says, per class. */
export function lossText(a: HopAssessment | null, hop: PathHop): string {
  if (!a) return hop.received === 0 && hop.sent > 0 ? 'no reply' : formatPercent(hop.lossPercent);
  switch (a.lossClass) {
    case 'none':
      return '0 %';
    case 'noReply':
      return 'no reply — silent router, not loss';
    case 'icmpRateLimited':
      return `${formatPercent(a.lossPercent)} rate-limited — not real loss`;
    case 'forwardingLoss': {
      const limited = a.rateLimitedPercent ?? 0;
      return `${formatPercent(a.forwardLossPercent)} loss${limited > 0.5 ? ` (+${formatPercent(limited)} rate-limited)` : ''}`;
    }
    case 'unverified':
      return `${formatPercent(a.lossPercent)} — unverified (nothing answered after this hop)`;
  }
}

export function mtuDropText(drop: MtuDrop): string {
  const link = drop.afterTtl !== null ? `the link from hop ${drop.afterTtl}${drop.afterAddress ? ` (${drop.afterAddress})` : ''} to hop ${drop.ttl}` : `the link into hop ${drop.ttl}`;
  return `MTU ${drop.fromMtu ?? '?'} → ${drop.toMtu} bytes on ${link}${drop.reportedBy ? `, reported by ${drop.reportedBy}` : ''}`;
}

export const MTU_OUTCOME_TEXT: Record<MtuProbe['outcome'], string> = {
  fits: 'came back',
  tooBig: 'too big (ICMP said so)',
  noReply: 'vanished — no reply, no error',
  error: 'error',
};

/** The short form of a responder set for dense places (tooltips, chart cells). */
export function respondersText(hop: Pick<PathHop, 'responders'>): string {
  if (hop.responders.length === 0) return '*';
  return hop.responders.map((r) => (r.name ? `${r.name} (${r.address})` : r.address)).join(', ');
}

/** The unreachable annotation of a hop (!H, !N, ...), leaving out MTU notes (!F) and a bare "!". */
export function unreachableFlag(flags: readonly string[]): string | null {
  return flags.find((f) => f !== '!' && !f.startsWith('!F')) ?? null;
}
