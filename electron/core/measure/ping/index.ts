/** ping: argv per platform, parsers (iputils, macOS/BSD, Windows), the RTT runner and DF probes. */
export { icmpOverhead, pingArgs, type PingArgsInput, type PingCommand } from './args.ts';
export { detectPingFormat, parseBsdPing, parseIputilsPing, parsePing, parsePingLine, parseWindowsPing, PING_FORMATS, summarizePing, type PingFormat, type PingParse, type PingToolStats } from './parse.ts';
export { dfProbe, runPing, type DfProbeOptions, type DfProbeResult, type PingResult, type RunPingOptions } from './run.ts';
