import type { Workbench } from '../../core/workbench.ts';
import { parse } from '../args.ts';
import { EXIT, safeText, type CliIO } from '../io.ts';

export async function toolsCommand(workbench: Workbench, argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, {});
  const tools = await workbench.call('tools.list', {});
  if (values.json) {
    io.out(`${JSON.stringify(tools, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const tool of tools) {
    const where = tool.path ? `${safeText(tool.path)} (${tool.source})` : 'not found';
    io.out(`${tool.name.padEnd(10)} ${(tool.version ?? '—').padEnd(10)} ${where}\n`);
    if (tool.capabilities.length) io.out(`           capabilities: ${tool.capabilities.join(', ')}\n`);
    if (tool.problem) io.out(`           ${tool.problem}. ${tool.remedy ?? ''}\n`);
  }
  return EXIT.ok;
}
