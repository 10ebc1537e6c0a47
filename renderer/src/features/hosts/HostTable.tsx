import { useEffect, useRef } from 'react';
import type { HostView } from '../../../../electron/shared/hosts.ts';
import { formatCapacity, formatDistance, hostFreshness, hostPlace, isFavourite } from './format.ts';

export function ServiceBadges({ host }: { host: HostView }) {
  const types = [...new Set(host.services.map((s) => s.type))];
  return (
    <span className="service-badges">
      {types.map((t) => (
        <span key={t} className={`svc svc-${/^[a-z0-9-]+$/.test(t) ? t : 'other'}`} title={t}>
          {t}
        </span>
      ))}
    </span>
  );
}

export function Star({ on, onToggle, name }: { on: boolean; onToggle: () => void; name: string }) {
  return (
    <button type="button" className={`star${on ? ' on' : ''}`} name="favourite" aria-pressed={on} aria-label={on ? `Remove ${name} from favourites` : `Add ${name} to favourites`} title={on ? 'Remove from favourites' : 'Add to favourites'} onClick={(e) => {
      e.stopPropagation();
      onToggle();
    }}>
      {on ? '★' : '☆'}
    </button>
  );
}

export function HostTable({ hosts, selectedId, favourites, onSelect, onToggleFavourite, showDistance }: {
  hosts: readonly HostView[];
  selectedId: string | null;
  favourites: readonly string[];
  onSelect: (id: string) => void;
  onToggleFavourite: (host: HostView) => void;
  showDistance: boolean;
}) {
  const body = useRef<HTMLTableSectionElement | null>(null);
  const favouriteSet = new Set(favourites);
  const showReach = hosts.some((h) => h.reachability !== null);
  const now = Date.now();

  // A host picked on the map scrolls into view in the list.
  useEffect(() => {
    if (!selectedId || !body.current) return;
    for (const row of body.current.querySelectorAll<HTMLTableRowElement>('tr[data-host-id]')) {
      if (row.dataset.hostId === selectedId) {
        row.scrollIntoView({ block: 'nearest' });
        break;
      }
    }
  }, [selectedId]);

  return (
    <div className="hosts-table-wrap">
      <table className="runs-table hosts-table" data-testid="hosts-table" data-rows={hosts.length}>
        <thead>
          <tr>
            <th aria-label="Favourite" />
            <th>Host</th>
            <th>Services</th>
            <th>Location</th>
            {showDistance && <th className="num">Distance</th>}
            <th className="num">Capacity</th>
            <th>Toolkit</th>
            <th>Freshness</th>
            {showReach && <th className="num">TCP connect</th>}
          </tr>
        </thead>
        <tbody ref={body}>
          {hosts.map((h) => {
            const fresh = hostFreshness(h, now);
            const fav = isFavourite(h, favouriteSet);
            const place = hostPlace(h);
            return (
              <tr key={h.id} data-host-id={h.id} data-target={h.target} data-favourite={fav ? 'yes' : 'no'} className={h.id === selectedId ? 'selected' : ''} onClick={() => onSelect(h.id)} aria-selected={h.id === selectedId}>
                <td>
                  <Star on={fav} name={h.target} onToggle={() => onToggleFavourite(h)} />
                </td>
                <td className="host-cell">
                  <button type="button" className="link truncate" name="select-host" title={h.target} onClick={(e) => {
                    e.stopPropagation();
                    onSelect(h.id);
                  }}>
                    {h.target}
                  </button>
                  {h.location.site && (
                    <span className="muted small truncate" title={h.location.site}>
                      {h.location.site}
                    </span>
                  )}
                </td>
                <td className="services-cell">
                  <ServiceBadges host={h} />
                </td>
                <td>
                  <span className="truncate" title={place} data-field="place">
                    {place}
                  </span>
                </td>
                {showDistance && (
                  <td className="num" data-field="distance" data-km={h.distanceKm ?? ''}>
                    {formatDistance(h.distanceKm)}
                  </td>
                )}
                <td className="num">{formatCapacity(h.capacity)}</td>
                <td>
                  <span className="truncate narrow" title={h.toolkitVersion ?? ''}>
                    {h.toolkitVersion ?? '—'}
                  </span>
                </td>
                <td>
                  <span className={`fresh ${fresh.state}`} title={fresh.title}>
                    {fresh.text}
                  </span>
                </td>
                {showReach && (
                  <td className="num" title={h.reachability?.error ?? ''}>
                    {h.reachability ? (h.reachability.connectMs === null ? 'failed' : `${h.reachability.connectMs.toFixed(1)} ms`) : '—'}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
