import { useState } from 'react';
import type { SelfCheckReport } from '../../../../electron/shared/selfcheck.ts';
import { formatBitrate, formatBytes, parseBitrate } from '../../../../electron/shared/units.ts';
import { api } from '../../api/index.ts';

export function SelfCheckView() {
  const [rtt, setRtt] = useState('100');
  const [rate, setRate] = useState('1G');
  const [report, setReport] = useState<SelfCheckReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const run = async () => {
    try {
      setProblem(null);
      setReport(await api.host.selfCheck({ rttMs: Number(rtt), targetBitsPerSecond: parseBitrate(rate) }));
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <section className="panel selfcheck-view" aria-label="Host check">
      <h2>Is this host tuned for the path?</h2>
      <div className="row">
        <label>
          Path RTT (ms)
          <input name="rtt" type="number" min={1} value={rtt} onChange={(e) => setRtt(e.target.value)} />
        </label>
        <label>
          Rate needed
          <input name="rate" value={rate} onChange={(e) => setRate(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" name="run-selfcheck" onClick={() => void run()}>
            Check this host
          </button>
        </div>
      </div>
      {problem && <p className="problem">{problem}</p>}
      {report && (
        <div data-testid="selfcheck-report">
          <p className="muted">
            {report.hostname} · {report.platform} {report.kernel} · {report.cpus} CPUs. {formatBitrate(report.targetBitsPerSecond)} at {report.rttMs} ms needs a {formatBytes(report.bdpBytes)} window; this
            host can open {formatBytes(report.maxReceiveWindow)} to receive and {formatBytes(report.maxSendWindow)} to send.
          </p>
          <ul className="findings">
            {report.findings.map((f) => (
              <li key={f.id} className={`finding ${f.severity}`} data-finding={f.id} data-severity={f.severity}>
                <strong>{f.title}</strong>
                <span className="muted">
                  {f.value}
                  {f.expected ? ` — want ${f.expected}` : ''}
                </span>
                <span>{f.why}</span>
                {f.fix && <code>{f.fix}</code>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
