import { useEffect, useState, type FormEvent } from 'react';
import type { Settings } from '../../../../electron/shared/settings.ts';
import { formToSettings, settingsToForm, type SettingsForm } from './settingsForm.ts';

export function SettingsPanel({ settings, error, onSave }: { settings: Settings | null; error: string | null; onSave: (patch: Partial<Settings>) => Promise<boolean> }) {
  const [form, setForm] = useState<SettingsForm>(() => settingsToForm(settings));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [open, setOpen] = useState(() => !settings?.location);
  // Settings changed elsewhere (e.g. "use this host's location") show up in the form.
  useEffect(() => setForm(settingsToForm(settings)), [settings]);
  const update = (patch: Partial<SettingsForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const patch = formToSettings(form);
    if (typeof patch === 'string') {
      setProblem(patch);
      return;
    }
    setProblem(null);
    setSaved(await onSave(patch));
  };

  const location = settings?.location ?? null;
  return (
    <details className="panel hosts-settings" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="hosts-settings">
      <summary>
        Settings: <span className="muted">{location ? `near ${location.label ?? `${location.latitude.toFixed(2)}, ${location.longitude.toFixed(2)}`}` : 'no location set'}</span>
        {' · '}
        <span className="muted">{settings?.lsSources.length ? `${settings.lsSources.length} Lookup Service(s)` : 'built-in Lookup Services'}</span>
      </summary>
      <form onSubmit={(e) => void submit(e)} aria-label="Discovery settings">
        <div className="row">
          <label>
            Latitude
            <input name="latitude" inputMode="decimal" placeholder="e.g. 46.2" value={form.latitude} onChange={(e) => update({ latitude: e.target.value })} />
          </label>
          <label>
            Longitude
            <input name="longitude" inputMode="decimal" placeholder="e.g. 6.14" value={form.longitude} onChange={(e) => update({ longitude: e.target.value })} />
          </label>
        </div>
        <label>
          Label
          <input name="location-label" maxLength={100} placeholder="e.g. office" value={form.label} onChange={(e) => update({ label: e.target.value })} />
        </label>
        <label>
          Lookup Services (one URL a line; empty: the built-in perfSONAR list)
          <textarea name="ls-sources" rows={3} spellCheck={false} placeholder="http://ls.example.net:8090/lookup/records" value={form.sources} onChange={(e) => update({ sources: e.target.value })} />
        </label>
        {(problem ?? error) && (
          <p className="problem" role="alert">
            {problem ?? error}
          </p>
        )}
        <div className="actions">
          <button type="submit" name="save-settings">
            Save
          </button>
          <button type="button" name="clear-location" disabled={!form.latitude && !form.longitude} onClick={() => update({ latitude: '', longitude: '', label: '' })}>
            Clear location
          </button>
          {saved && <span className="muted">Saved.</span>}
        </div>
      </form>
    </details>
  );
}
