import { useEffect, useState, type FormEvent } from 'react';
import { initialForm, toStartInput, withPickedTarget, type FormState } from './startInput.ts';
import { useTargetPick } from '../../store/hosts.ts';
import { runsSelectors, useRuns } from '../../store/runs.ts';

export function RunForm() {
  const [form, setForm] = useState<FormState>(initialForm);
  const [problem, setProblem] = useState<string | null>(null);
  const start = useRuns((s) => s.start);
  const cancel = useRuns((s) => s.cancel);
  const starting = useRuns((s) => s.starting);
  const selectedLive = useRuns(runsSelectors.selectedLive);
  const update = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  // A host chosen in the host browser ("Use as target") becomes the target.
  const picked = useTargetPick((s) => s.picked);
  useEffect(() => {
    if (picked) setForm((f) => withPickedTarget(f, picked.target));
  }, [picked]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      const input = toStartInput(form);
      setProblem(null);
      void start(input);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <form className="panel run-form" onSubmit={submit} aria-label="New throughput measurement">
      <h2>Throughput (iperf3)</h2>
      <label>
        Target
        <input name="target" placeholder="host[:port], e.g. ps.example.net:5201" value={form.target} onChange={(e) => update('target', e.target.value)} autoComplete="off" spellCheck={false} />
        {picked && form.target === withPickedTarget(form, picked.target).target && <span className="muted" data-testid="picked-target">from the host browser: {picked.label}</span>}
      </label>
      <div className="row">
        <label>
          Seconds
          <input name="duration" type="number" min={1} max={3600} value={form.duration} onChange={(e) => update('duration', e.target.value)} />
        </label>
        <label>
          Streams
          <input name="parallel" type="number" min={1} max={128} value={form.parallel} onChange={(e) => update('parallel', e.target.value)} />
        </label>
        <label>
          Omit s
          <input name="omit" type="number" min={0} max={60} value={form.omit} onChange={(e) => update('omit', e.target.value)} />
        </label>
      </div>
      <div className="row">
        <label className="check">
          <input name="reverse" type="checkbox" checked={form.reverse} onChange={(e) => update('reverse', e.target.checked)} /> Reverse (server sends)
        </label>
        <label className="check">
          <input name="udp" type="checkbox" checked={form.udp} onChange={(e) => update('udp', e.target.checked)} /> UDP
        </label>
      </div>
      <div className="row">
        <label>
          IP
          <select name="family" value={form.family} onChange={(e) => update('family', e.target.value as FormState['family'])}>
            <option value="any">any</option>
            <option value="4">IPv4</option>
            <option value="6">IPv6</option>
          </select>
        </label>
        <label>
          Bitrate
          <input name="bitrate" placeholder="e.g. 100M" value={form.bitrate} onChange={(e) => update('bitrate', e.target.value)} />
        </label>
        <label>
          Window
          <input name="window" placeholder="e.g. 4M" value={form.window} onChange={(e) => update('window', e.target.value)} />
        </label>
      </div>
      <label>
        Congestion control
        <input name="congestion" placeholder="default (e.g. cubic, bbr)" value={form.congestion} onChange={(e) => update('congestion', e.target.value)} />
      </label>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="submit" name="start" disabled={starting}>
          Start
        </button>
        <button type="button" name="cancel" disabled={!selectedLive} onClick={() => selectedLive && void cancel(selectedLive.runId)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
