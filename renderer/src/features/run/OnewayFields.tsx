import type { FormState } from './startInput.ts';

type Update = <K extends keyof FormState>(key: K, value: FormState[K]) => void;

/** The OWAMP (latency) and TWAMP options of the run form. */
export function OnewayFields({ form, update }: { form: FormState; update: Update }) {
  const latency = form.method === 'latency';
  const seconds = Number(form.packets) * Number(form.packetInterval);
  return (
    <>
      <div className="row">
        <label>
          Count
          <input name="packets" type="number" min={1} max={100000} value={form.packets} onChange={(e) => update('packets', e.target.value)} />
        </label>
        <label>
          Interval s
          <input name="packet-interval" type="number" min={0.001} max={10} step={0.001} value={form.packetInterval} onChange={(e) => update('packetInterval', e.target.value)} />
        </label>
        <label>
          Padding B
          <input name="padding" type="number" min={0} max={65000} placeholder={latency ? '0' : '27'} value={form.padding} onChange={(e) => update('padding', e.target.value)} />
        </label>
      </div>
      <div className="row">
        <label>
          Schedule
          <select name="schedule" value={form.schedule} onChange={(e) => update('schedule', e.target.value as FormState['schedule'])}>
            <option value="poisson">Poisson (as owping)</option>
            <option value="periodic">periodic</option>
          </select>
        </label>
        {latency && (
          <label>
            Direction
            <select name="direction" value={form.direction} onChange={(e) => update('direction', e.target.value as FormState['direction'])}>
              <option value="both">both ways</option>
              <option value="to">to the far end</option>
              <option value="from">from the far end</option>
            </select>
          </label>
        )}
      </div>
      <label>
        Client
        <select name="oneway-tool" value={form.onewayTool} onChange={(e) => update('onewayTool', e.target.value as FormState['onewayTool'])}>
          <option value="builtin">built-in (unauthenticated)</option>
          <option value="system">this host's {latency ? 'owping' : 'twping'} (see Tools)</option>
        </select>
      </label>
      {!latency && (
        <label className="check">
          <input name="light" type="checkbox" checked={form.light} onChange={(e) => update('light', e.target.checked)} /> TWAMP-Light (no control connection: straight to a reflector's UDP port)
        </label>
      )}
      <label className="check">
        <input name="clock-sync" type="checkbox" checked={form.clockSynchronized} onChange={(e) => update('clockSynchronized', e.target.checked)} /> My clock is NTP-synchronised
      </label>
      {Number.isFinite(seconds) && seconds > 0 && (
        <span className="muted small" data-testid="oneway-duration">
          about {seconds < 10 ? seconds.toFixed(1) : seconds.toFixed(0)} s of test packets{latency && form.direction === 'both' ? ', both directions at once' : ''}
        </span>
      )}
    </>
  );
}
