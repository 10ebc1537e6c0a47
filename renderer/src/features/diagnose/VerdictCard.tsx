import type { Verdict } from '../../../../electron/shared/diagnosis.ts';
import { formatBitrate } from '../../../../electron/shared/units.ts';

const CLASS_LABEL: Record<Verdict['class'], string> = {
  healthy: 'Healthy',
  'host-limited': 'Host-limited',
  'loss-limited': 'Loss-limited',
  'capacity-limited': 'Capacity-limited',
  mtu: 'Path MTU problem',
  'path-changed': 'Path changed',
  inconclusive: 'Inconclusive',
};

function Bar({ label, value, max, kind }: { label: string; value: number | null; max: number; kind: string }) {
  if (value === null) return null;
  const width = Math.max(1, Math.min(100, (value / max) * 100));
  return (
    <div className="ceiling" data-ceiling={kind}>
      <span className="ceiling-label">{label}</span>
      <span className="ceiling-bar">
        <span className={`fill ${kind}`} style={{ width: `${width}%` }} />
      </span>
      <span className="ceiling-value">{formatBitrate(value)}</span>
    </div>
  );
}

export function VerdictCard({ verdict, onOpenRun }: { verdict: Verdict; onOpenRun: (runId: number) => void }) {
  const c = verdict.ceilings;
  const max = Math.max(verdict.targetBitsPerSecond, verdict.measuredBitsPerSecond ?? 0, ...[c.capacity, c.window, c.mathis].filter((v): v is number => v !== null && Number.isFinite(v)));
  return (
    <article className={`verdict ${verdict.class}`} data-testid="verdict" data-class={verdict.class} data-side={verdict.side ?? ''} data-confidence={verdict.confidence}>
      <header>
        <span className={`verdict-class ${verdict.class}`}>{CLASS_LABEL[verdict.class]}</span>
        {verdict.side && <span className="badge">{verdict.side.replace('-', ' ')}</span>}
        <span className="muted">confidence {Math.round(verdict.confidence * 100)} %</span>
      </header>
      <p className="headline">{verdict.headline}</p>
      {verdict.segment && (
        <p className="segment" data-testid="verdict-segment">
          Segment: {verdict.segment.from} → {verdict.segment.to}
        </p>
      )}
      <div className="ceilings">
        <Bar label="Needed" value={verdict.targetBitsPerSecond} max={max} kind="target" />
        <Bar label="Measured" value={verdict.measuredBitsPerSecond} max={max} kind="measured" />
        <Bar label="Capacity" value={c.capacity} max={max} kind="capacity" />
        <Bar label="Window / RTT" value={c.window} max={max} kind="window" />
        <Bar label="Loss (Mathis)" value={c.mathis} max={max} kind="mathis" />
      </div>
      <h3>Evidence</h3>
      <ul className="evidence">
        {verdict.evidence.map((e) => (
          <li key={e.rule} className={e.fired ? 'fired' : ''} data-rule={e.rule} data-fired={e.fired ? 'yes' : 'no'}>
            <strong>{e.rule}</strong> {e.summary}
            {e.runIds.map((id) => (
              <button key={id} type="button" className="link" onClick={() => onOpenRun(id)}>
                run {id}
              </button>
            ))}
          </li>
        ))}
      </ul>
      {verdict.alsoFound.length > 0 && <p className="muted">Also found: {verdict.alsoFound.map((k) => CLASS_LABEL[k]).join(', ')}</p>}
      <h3>Next steps</h3>
      <ol className="next-steps">
        {verdict.nextSteps.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
    </article>
  );
}
