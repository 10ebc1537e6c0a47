import { useEffect, useState } from 'react';
import type { ToolInfo } from '../../../../electron/shared/tools.ts';
import { api } from '../../api/index.ts';

export function ToolsView() {
  const [tools, setTools] = useState<ToolInfo[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api.tools.list().then(setTools, (error: Error) => setProblem(error.message));
  }, []);
  return (
    <section className="panel tools-view" aria-label="Tools">
      <h2>External tools</h2>
      {problem && <p className="problem">{problem}</p>}
      <table className="runs-table">
        <thead>
          <tr>
            <th>Tool</th>
            <th>Version</th>
            <th>Found</th>
            <th>Capabilities</th>
            <th>Notes</th>
          </tr>
        </thead>
        <tbody>
          {(tools ?? []).map((t) => (
            <tr key={t.name} data-tool={t.name} data-found={t.path ? 'yes' : 'no'}>
              <td>{t.name}</td>
              <td>{t.version ?? '—'}</td>
              <td>{t.path ? `${t.path} (${t.source})` : 'not found'}</td>
              <td>{t.capabilities.join(', ')}</td>
              <td>{t.problem ? `${t.problem}. ${t.remedy ?? ''}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
