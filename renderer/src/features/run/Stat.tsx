/** One figure of a run summary: a small label over its value, optionally toned. */
export function Stat({ label, value, tone, testId }: { label: string; value: string; tone?: 'bad' | 'ok' | 'muted'; testId?: string }) {
  return (
    <div className={`stat${tone ? ` ${tone}` : ''}`} data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
    </div>
  );
}
