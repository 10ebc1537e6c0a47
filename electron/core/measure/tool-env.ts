/**
 * The environment every external tool is started with (execa with extendEnv: false): a C locale,
 * the tool's own variables (a bundled tool's LD_LIBRARY_PATH, MTR_PACKET), and the few inherited
 * variables Windows programs cannot start or resolve names without. Nothing else leaks in.
 */
const KEPT = ['SystemRoot', 'windir', 'ComSpec', 'PATHEXT', 'TEMP', 'TMP'] as const;

export function toolEnv(extra: Record<string, string> | undefined = {}, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of KEPT) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra, LANG: 'C', LC_ALL: 'C' };
}
