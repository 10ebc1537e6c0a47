import { useCallback, useEffect, useState } from 'react';
import type { ToolPaths } from '../../../../electron/shared/settings.ts';
import type { ToolInfo, ToolName } from '../../../../electron/shared/tools.ts';
import { api } from '../../api/index.ts';
import { capabilityLabel } from './format.ts';
import { withToolPath } from './toolPaths.ts';

/** A configured path for one tool: saved (the core checks it is an executable file) or cleared. */
function PathField({ tool, paths, onSaved }: { tool: ToolName; paths: ToolPaths; onSaved(paths: ToolPaths): void }) {
  const [value, setValue] = useState(paths[tool] ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const save = async (next: string) => {
    setProblem(null);
    try {
      const settings = await api.settings.update({ toolPaths: withToolPath(paths, tool, next) });
      setValue(settings.toolPaths?.[tool] ?? '');
      onSaved(settings.toolPaths ?? {});
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <form
      className="row tool-path"
      onSubmit={(e) => {
        e.preventDefault();
        void save(value);
      }}
    >
      <input name={`tool-path-${tool}`} value={value} onChange={(e) => setValue(e.target.value)} placeholder="bundled, then PATH" aria-label={`${tool} path`} spellCheck={false} />
      <button type="submit" name={`tool-path-save-${tool}`}>
        Use
      </button>
      {paths[tool] && (
        <button type="button" name={`tool-path-clear-${tool}`} onClick={() => void save('')}>
          Clear
        </button>
      )}
      {problem && (
        <span className="problem" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}

export function ToolsView() {
  const [tools, setTools] = useState<ToolInfo[] | null>(null);
  const [paths, setPaths] = useState<ToolPaths | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const reload = useCallback(() => {
    api.tools.list().then(setTools, (error: Error) => setProblem(error.message));
  }, []);
  useEffect(() => {
    reload();
    api.settings.get().then((s) => setPaths(s.toolPaths ?? {}), (error: Error) => setProblem(error.message));
  }, [reload]);
  return (
    <section className="panel tools-view" aria-label="Tools">
      <h2>External tools</h2>
      <p className="muted">Each tool is taken from the path you set here, else the copy bundled with the app, else PATH.</p>
      {problem && <p className="problem">{problem}</p>}
      <table className="runs-table">
        <thead>
          <tr>
            <th>Tool</th>
            <th>Version</th>
            <th>Found</th>
            <th>Capabilities</th>
            <th>Notes</th>
            <th>Your path</th>
          </tr>
        </thead>
        <tbody>
          {(tools ?? []).map((t) => (
            <tr key={t.name} data-tool={t.name} data-found={t.path ? 'yes' : 'no'} data-source={t.source ?? ''}>
              <td>{t.name}</td>
              <td>{t.version ?? '—'}</td>
              <td>{t.path ? `${t.path} (${t.source})` : 'not found'}</td>
              <td>{t.capabilities.map(capabilityLabel).join(', ')}</td>
              <td>{t.problem ? `${t.problem}. ${t.remedy ?? ''}` : ''}</td>
              <td>
                {paths && (
                  <PathField
                    tool={t.name}
                    paths={paths}
                    onSaved={(next) => {
                      setPaths(next);
                      reload();
                    }}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
