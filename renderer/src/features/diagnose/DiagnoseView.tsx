import { useEffect, useState, type FormEvent } from 'react';
import type { DiagnoseInput } from '../../../../electron/shared/diagnosis.ts';
import { parseTarget } from '../../../../electron/shared/target.ts';
import { parseBitrate } from '../../../../electron/shared/units.ts';
import { useDiagnose } from '../../store/diagnose.ts';
import { useRuns } from '../../store/runs.ts';
import { useUi } from '../../store/ui.ts';
import { VerdictCard } from './VerdictCard.tsx';

/** Form → diagnose.start input with the shared validators; throws a readable message. */
export function toDiagnoseInput(form: { target: string; via: string; rate: string; depth: string; owamp: string }): DiagnoseInput {
  const target = parseTarget(form.target.trim());
  const via = form.via.split(/[\s,]+/).filter(Boolean).map((v) => parseTarget(v).host);
  const owamp = form.owamp.trim();
  if (owamp !== '' && owamp !== 'off' && !(/^\d{1,5}$/.test(owamp) && Number(owamp) >= 1 && Number(owamp) <= 65535)) throw new Error('OWAMP port must be 1-65535, or empty for echo requests only.');
  const owampPort = owamp === '' || owamp === 'off' ? null : Number(owamp);
  return { target: { host: target.host, port: target.port }, via, targetBitsPerSecond: parseBitrate(form.rate || '1G'), depth: form.depth as 'quick' | 'normal' | 'thorough', owampPort };
}

export function DiagnoseView() {
  const { list, current, runningId, progress, error } = useDiagnose();
  const { start, cancel, open, rederive, init } = useDiagnose.getState();
  const openRun = useRuns((s) => s.select);
  const show = useUi((s) => s.show);
  const [form, setForm] = useState({ target: '', via: '', rate: '1G', depth: 'normal', owamp: '861' });
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => init(), [init]);
  const goToRun = (runId: number) => void openRun(runId).then(() => show('measure'));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      const input = toDiagnoseInput(form);
      setProblem(null);
      void start(input);
    } catch (e) {
      setProblem((e as Error).message);
    }
  };

  return (
    <div className="diagnose">
      <form className="panel row" onSubmit={submit} aria-label="Diagnose">
        <label>
          Slow transfer to
          <input name="diagnose-target" value={form.target} onChange={(e) => setForm({ ...form, target: e.target.value })} placeholder="host[:iperf3 port]" />
        </label>
        <label>
          Via (perfSONAR hosts on the path)
          <input name="diagnose-via" value={form.via} onChange={(e) => setForm({ ...form, via: e.target.value })} placeholder="optional" />
        </label>
        <label>
          Rate needed
          <input name="diagnose-rate" value={form.rate} onChange={(e) => setForm({ ...form, rate: e.target.value })} />
        </label>
        <label>
          Depth
          <select name="diagnose-depth" value={form.depth} onChange={(e) => setForm({ ...form, depth: e.target.value })}>
            <option value="quick">quick</option>
            <option value="normal">normal</option>
            <option value="thorough">thorough</option>
          </select>
        </label>
        <label title="Where the hosts answer OWAMP, for loss each way; empty: echo requests only">
          OWAMP port
          <input name="diagnose-owamp" value={form.owamp} onChange={(e) => setForm({ ...form, owamp: e.target.value })} placeholder="off" size={6} />
        </label>
        <div className="actions">
          <button type="submit" name="diagnose-start" disabled={runningId !== null}>
            Diagnose
          </button>
          <button type="button" name="diagnose-cancel" disabled={runningId === null} onClick={() => void cancel()}>
            Cancel
          </button>
        </div>
      </form>
      {(problem ?? error) && (
        <p className="problem" role="alert">
          {problem ?? error}
        </p>
      )}
      {runningId !== null && (
        <section className="panel" data-testid="diagnosis-progress" data-diagnosis-id={runningId}>
          <progress max={progress?.of ?? 1} value={progress?.step ?? 0} /> {progress ? `Step ${progress.step} of ${progress.of}: ${progress.message}` : 'Planning…'}
          {progress?.runId && (
            <button type="button" className="link" onClick={() => goToRun(progress.runId ?? 0)}>
              watch run {progress.runId}
            </button>
          )}
        </section>
      )}
      <div className="diagnose-body">
        <section className="panel" data-testid="diagnosis-result">
          {current ? (
            <>
              <div className="actions">
                <h2>
                  Diagnosis {current.id} · {current.target.host}
                </h2>
                <span className={`badge ${current.status}`}>{current.status}</span>
                <button type="button" name="rederive" disabled={current.status !== 'finished'} onClick={() => void rederive(current.id)}>
                  Re-derive from stored runs
                </button>
              </div>
              {current.error && <p className="problem">{current.error.message}</p>}
              {current.perFamily.length > 1
                ? current.perFamily.map((f) => (
                    <div key={f.family ?? 'any'} data-family={f.family ?? 'any'}>
                      <h3>IPv{f.family}</h3>
                      <VerdictCard verdict={f.verdict} onOpenRun={goToRun} />
                    </div>
                  ))
                : current.verdict && <VerdictCard verdict={current.verdict} onOpenRun={goToRun} />}
            </>
          ) : (
            <p className="muted">Name the host your transfer is slow to: the workbench measures both directions, audits this host and explains where the limit is.</p>
          )}
        </section>
        <aside className="panel history">
          <h2>Past diagnoses</h2>
          <ul>
            {list.map((d) => (
              <li key={d.id}>
                <button type="button" data-diagnosis-id={d.id} className={current?.id === d.id ? 'selected' : ''} onClick={() => void open(d.id)}>
                  <span className={`dot ${d.status === 'finished' ? 'succeeded' : d.status}`} />
                  <span className="target">{d.target.host}</span>
                  <span className="rate">{d.verdictClass ?? d.status}</span>
                  <span className="when">{new Date(d.createdAt).toLocaleString()}</span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </div>
  );
}
