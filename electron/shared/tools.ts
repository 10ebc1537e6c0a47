import { z } from 'zod';

export const TOOL_NAMES = ['iperf3', 'ss', 'traceroute', 'tracepath', 'mtr', 'ping', 'stdbuf', 'owping', 'twping'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const ToolInfo = z.object({
  name: z.enum(TOOL_NAMES),
  path: z.string().nullable(),
  source: z.enum(['configured', 'bundled', 'path']).nullable(),
  version: z.string().nullable(),
  capabilities: z.array(z.string()),
  problem: z.string().nullable(),
  /** What to do when the tool is missing or unusable. */
  remedy: z.string().nullable(),
});
export type ToolInfo = z.output<typeof ToolInfo>;
