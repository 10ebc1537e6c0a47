import type { Workbench } from '../../core/workbench.ts';
import { TOOL_NAMES, type ToolName } from '../../shared/tools.ts';
import { parse } from '../args.ts';
import { EXIT, safeText, UsageError, type CliIO } from '../io.ts';

/** --set NAME=PATH and --unset NAME applied to the stored toolPaths (the core validates names and paths). */
function changedToolPaths(current: Partial<Record<ToolName, string>>, set: readonly string[], unset: readonly string[]): Partial<Record<ToolName, string>> {
  const next = { ...current };
  for (const item of set) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes NAME=PATH, e.g. --set iperf3=/opt/iperf3/bin/iperf3 (got ${JSON.stringify(item.slice(0, 60))}).`);
    next[toolName(item.slice(0, eq))] = item.slice(eq + 1);
  }
  for (const name of unset) delete next[toolName(name)];
  return next;
}

function toolName(name: string): ToolName {
  if ((TOOL_NAMES as readonly string[]).includes(name)) return name as ToolName;
  throw new UsageError(`Unknown tool ${JSON.stringify(name.slice(0, 40))}; one of ${TOOL_NAMES.join(', ')}.`);
}

export async function toolsCommand(workbench: Workbench, argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, { set: { type: 'string', multiple: true }, unset: { type: 'string', multiple: true } });
  if (values.set?.length || values.unset?.length) {
    const current = (await workbench.call('settings.get', {})).toolPaths ?? {};
    await workbench.call('settings.update', { toolPaths: changedToolPaths(current, values.set ?? [], values.unset ?? []) });
  }
  const tools = await workbench.call('tools.list', {});
  if (values.json) {
    io.out(`${JSON.stringify(tools, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const tool of tools) {
    const where = tool.path ? `${safeText(tool.path)} (${tool.source})` : 'not found';
    io.out(`${tool.name.padEnd(10)} ${(tool.version ?? '—').padEnd(10)} ${where}\n`);
    if (tool.capabilities.length) io.out(`           capabilities: ${tool.capabilities.join(', ')}\n`);
    if (tool.problem) io.out(`           ${safeText(tool.problem)}. ${tool.remedy ?? ''}\n`);
  }
  return EXIT.ok;
}
