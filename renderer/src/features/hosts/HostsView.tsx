import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { SERVICE_TYPE } from '../../../../electron/shared/hosts.ts';
import { onWorkbenchEvent } from '../../api/index.ts';
import { effectiveSort, HOST_SORTS, useHosts, useTargetPick, visibleHosts, type HostSort } from '../../store/hosts.ts';
import { useUi } from '../../store/ui.ts';
import { isFavourite } from './format.ts';
import { HostDetail } from './HostDetail.tsx';
import { HostMap } from './HostMap.tsx';
import { HostTable } from './HostTable.tsx';
import { CacheLine, Provenance } from './Provenance.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';

/** Offered as badges even before an answer has shown them. */
const COMMON_TYPES = ['pscheduler', 'owamp', 'twamp', 'bwctl', 'ma', 'traceroute', 'ping'];
const TYPE_HINTS: Record<string, string> = {
  pscheduler: 'pScheduler: schedules throughput (iperf3, nuttcp), latency (owping), rtt and trace tests',
  owamp: 'OWAMP server: one-way latency and loss (owping)',
  twamp: 'TWAMP server: two-way latency',
  bwctl: 'BWCTL (perfSONAR 3.x/4.x): iperf, iperf3, nuttcp',
  ma: 'Measurement archive (esmond)',
};
const SORT_LABELS: Record<HostSort, string> = { distance: 'distance', name: 'name', freshness: 'freshness', reachability: 'reachability (probes TCP)' };
const TEXT_DEBOUNCE_MS = 300;

export function HostsView() {
  const s = useHosts();
  const { setFilters, toggleType, search, select, toggleFavourite, saveSettings, takeLocationFrom, refresh, clearError } = useHosts.getState();
  const show = useUi((u) => u.show);
  const [text, setText] = useState(s.filters.text);
  const first = useRef(true);
  const skipAuto = useRef(false);
  const location = s.settings?.location ?? null;

  useEffect(() => onWorkbenchEvent((event) => useHosts.getState().handleEvent(event)), []);

  // First visit: settings, favourites, cache status, then an answer. Afterwards every filter change asks again (auto: cache when fresh).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      void useHosts.getState().init();
      return;
    }
    if (skipAuto.current) {
      skipAuto.current = false;
      return;
    }
    void useHosts.getState().search('auto');
  }, [s.filters]);

  useEffect(() => {
    if (text === useHosts.getState().filters.text) return;
    const timer = setTimeout(() => {
      if (text !== useHosts.getState().filters.text) setFilters({ text });
    }, TEXT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, setFilters]);

  const hosts = useMemo(() => visibleHosts(s.result, s.favourites, s.filters.favouritesOnly), [s.result, s.favourites, s.filters.favouritesOnly]);
  const favouriteSet = useMemo(() => new Set(s.favourites), [s.favourites]);
  const selected = hosts.find((h) => h.id === s.selectedId) ?? s.result?.hosts.find((h) => h.id === s.selectedId) ?? null;
  // Only types the contract accepts as a filter (SERVICE_TYPE); anything else a Lookup Service registered is shown, not offered.
  const types = [...new Set([...COMMON_TYPES, ...s.seen.types.filter((t) => SERVICE_TYPE.test(t))])];
  const sort = effectiveSort(s.filters.sort, location);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Search always asks the Lookup Services; the filter effect (auto mode) sits this change out.
    if (text !== useHosts.getState().filters.text) {
      skipAuto.current = true;
      setFilters({ text });
    }
    void search('live');
  };
  const chooseTarget = (target: string, label: string) => {
    useTargetPick.getState().pick(target, label);
    show('measure');
  };

  return (
    <section className="hosts-view" aria-label="perfSONAR hosts">
      <form className="panel hosts-filters" onSubmit={submit} aria-label="Find perfSONAR hosts">
        <div className="row">
          <label className="grow">
            Search
            <input name="hosts-text" type="search" maxLength={200} placeholder="name, address, site, city, country, community…" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" spellCheck={false} />
          </label>
          <label>
            Community
            <input name="hosts-community" list="hosts-communities" maxLength={128} value={s.filters.community} onChange={(e) => setFilters({ community: e.target.value })} placeholder="e.g. WLCG" />
            <datalist id="hosts-communities">
              {s.seen.communities.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </label>
          <label className="narrow-field">
            Country
            <input name="hosts-country" list="hosts-countries" maxLength={64} value={s.filters.country} onChange={(e) => setFilters({ country: e.target.value })} placeholder="e.g. CH" />
            <datalist id="hosts-countries">
              {s.seen.countries.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </label>
          <label className="narrow-field">
            Sort by
            <select name="hosts-sort" value={sort} onChange={(e) => setFilters({ sort: e.target.value as HostSort })}>
              {HOST_SORTS.map((k) => (
                <option key={k} value={k} disabled={k === 'distance' && !location}>
                  {SORT_LABELS[k]}
                  {k === 'distance' && !location ? ' (set your location)' : ''}
                </option>
              ))}
            </select>
          </label>
          <div className="actions">
            <button type="submit" name="hosts-search" disabled={s.loading} title="Ask the Lookup Services now">
              Search
            </button>
          </div>
        </div>
        <div className="row badges-row">
          <span className="muted small">Services:</span>
          {types.map((t) => (
            <button key={t} type="button" name={`type-${t}`} className={`chip svc-${/^[a-z0-9-]+$/.test(t) ? t : 'other'}${s.filters.types.includes(t) ? ' on' : ''}`} aria-pressed={s.filters.types.includes(t)} title={TYPE_HINTS[t] ?? t} onClick={() => toggleType(t)}>
              {t}
            </button>
          ))}
          <label className="check">
            <input name="favourites-only" type="checkbox" checked={s.filters.favouritesOnly} onChange={(e) => setFilters({ favouritesOnly: e.target.checked })} /> ★ favourites only ({s.favourites.length})
          </label>
          <label className="check" title="Cached hosts whose Lookup Service registration has lapsed are left out unless this is on">
            <input name="include-expired" type="checkbox" checked={s.filters.includeExpired} onChange={(e) => setFilters({ includeExpired: e.target.checked })} /> include lapsed
          </label>
        </div>
      </form>
      {s.error && (
        <p className="problem" role="alert" data-testid="hosts-error">
          {s.error}{' '}
          <button type="button" className="link" onClick={clearError}>
            dismiss
          </button>
        </p>
      )}
      <div className="hosts-main">
        <div className="panel hosts-list" data-loading={s.loading ? 'yes' : 'no'} data-result-id={s.resultId}>
          <CacheLine cache={s.cache} refreshing={s.refreshing} report={s.refreshReport} onRefresh={() => void refresh()} />
          {s.result ? <Provenance result={s.result} cache={s.cache} fetchMs={s.fetchMs} mode={s.resultMode} /> : <p className="muted">{s.loading ? 'Asking the Lookup Services…' : 'No answer yet.'}</p>}
          {s.loading && s.result && <p className="muted small">Updating…</p>}
          {s.result && hosts.length === 0 && !s.loading && <p className="muted">{s.filters.favouritesOnly ? 'None of your favourites match.' : 'No host matches.'}</p>}
          {hosts.length > 0 && <HostTable hosts={hosts} selectedId={s.selectedId} favourites={s.favourites} onSelect={select} onToggleFavourite={(h) => void toggleFavourite(h)} showDistance={location !== null} />}
        </div>
        <div className="hosts-side">
          <div className="panel">
            <HostMap hosts={hosts} selectedId={s.selectedId} favourites={s.favourites} location={location} onSelect={select} />
          </div>
          {selected ? (
            <HostDetail key={selected.id} host={selected} favourite={isFavourite(selected, favouriteSet)} onToggleFavourite={() => void toggleFavourite(selected)} onUseTarget={chooseTarget} onUseLocation={() => void takeLocationFrom(selected)} />
          ) : (
            <p className="panel muted">Pick a host in the list or on the map to see its services and use it as a target.</p>
          )}
          <SettingsPanel settings={s.settings} error={s.settingsError} onSave={saveSettings} />
        </div>
      </div>
    </section>
  );
}
