import { useEffect, useState, type FormEvent } from 'react';
import { OnewayFields } from './OnewayFields.tsx';
import { FORM_METHODS, initialForm, METHOD_LABELS, TARGET_PLACEHOLDERS, toStartInput, withPickedTarget, type FormMethod, type FormState } from './startInput.ts';
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
    <form className="panel run-form" onSubmit={submit} aria-label="New measurement" data-method={form.method}>
      <label>
        Measure
        <select name="method" value={form.method} onChange={(e) => update('method', e.target.value as FormMethod)}>
          {FORM_METHODS.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Target
        <input name="target" placeholder={TARGET_PLACEHOLDERS[form.method]} value={form.target} onChange={(e) => update('target', e.target.value)} autoComplete="off" spellCheck={false} />
        {picked && form.target === withPickedTarget(form, picked.target).target && <span className="muted" data-testid="picked-target">from the host browser: {picked.label}</span>}
      </label>
      <label>
        IP
        <select name="family" value={form.family} onChange={(e) => update('family', e.target.value as FormState['family'])}>
          <option value="any">any</option>
          <option value="4">IPv4</option>
          <option value="6">IPv6</option>
        </select>
      </label>
      {form.method === 'throughput' && (
        <>
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
        </>
      )}
      {(form.method === 'latency' || form.method === 'twamp') && <OnewayFields form={form} update={update} />}
      {form.method === 'trace' && (
        <div className="row">
          <label>
            Tool
            <select name="trace-tool" value={form.traceTool} onChange={(e) => update('traceTool', e.target.value as FormState['traceTool'])}>
              <option value="traceroute">traceroute</option>
              <option value="tracepath">tracepath (MTU per hop)</option>
              <option value="mtr">mtr (loss per hop)</option>
            </select>
          </label>
          <label>
            Probes
            <select name="trace-method" value={form.traceMethod} onChange={(e) => update('traceMethod', e.target.value as FormState['traceMethod'])}>
              <option value="udp">UDP</option>
              <option value="icmp">ICMP (needs privileges)</option>
              <option value="tcp">TCP (needs privileges)</option>
            </select>
          </label>
          <label>
            Max hops
            <input name="max-hops" type="number" min={1} max={64} value={form.maxHops} onChange={(e) => update('maxHops', e.target.value)} />
          </label>
          <label>
            Per hop
            <input name="queries" type="number" min={1} max={10} value={form.queries} onChange={(e) => update('queries', e.target.value)} />
          </label>
        </div>
      )}
      {form.method === 'rtt' && (
        <div className="row">
          <label>
            Count
            <input name="count" type="number" min={1} max={100000} value={form.count} onChange={(e) => update('count', e.target.value)} />
          </label>
          <label>
            Interval s
            <input name="interval" type="number" min={0.01} step={0.01} value={form.interval} onChange={(e) => update('interval', e.target.value)} />
          </label>
          <label>
            Bytes
            <input name="size" type="number" min={0} max={65000} value={form.size} onChange={(e) => update('size', e.target.value)} />
          </label>
          <label className="check">
            <input name="df" type="checkbox" checked={form.dontFragment} onChange={(e) => update('dontFragment', e.target.checked)} /> DF
          </label>
        </div>
      )}
      {form.method === 'mtu' && (
        <label>
          Largest MTU to try
          <input name="max-mtu" type="number" min={576} max={65535} value={form.maxMtu} onChange={(e) => update('maxMtu', e.target.value)} />
        </label>
      )}
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
