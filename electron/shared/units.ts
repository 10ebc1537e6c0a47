/** Unit parsing and formatting shared by the CLI and the renderer. */

const DECIMAL: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const BINARY: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

function parseScaled(text: string, table: Record<string, number>, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtKMGT]?)$/.exec(text.trim());
  if (!m) throw new RangeError(`${what} must be a number with an optional K, M, G or T suffix, e.g. 100M`);
  return Math.round(Number(m[1]) * (table[(m[2] ?? '').toLowerCase()] ?? 1));
}

/** "100M" → 100 000 000 bits/s (decimal, as iperf3 reads -b). */
export const parseBitrate = (text: string): number => parseScaled(text, DECIMAL, 'a bit rate');
/** "4M" → 4 194 304 bytes (binary, as iperf3 reads -w). */
export const parseByteSize = (text: string): number => parseScaled(text, BINARY, 'a size');

export function formatBitrate(bitsPerSecond: number | null | undefined): string {
  if (bitsPerSecond === null || bitsPerSecond === undefined || !Number.isFinite(bitsPerSecond)) return '—';
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let value = bitsPerSecond;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${units[unit]}`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** Microseconds (iperf3's rtt unit) as milliseconds text. */
export function formatRttMicros(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '—';
  return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
}
