import type { ToolPaths } from '../../../../electron/shared/settings.ts';
import type { ToolName } from '../../../../electron/shared/tools.ts';

/** The whole toolPaths setting with one tool's path set (trimmed) or, when empty, removed. */
export function withToolPath(paths: ToolPaths, tool: ToolName, value: string): ToolPaths {
  const next: ToolPaths = { ...paths };
  const path = value.trim();
  if (path) next[tool] = path;
  else delete next[tool];
  return next;
}
