import { useState } from 'react';
import type { HostView } from '../../../../electron/shared/hosts.ts';
import { formatCapacity, formatDistance, hostFreshness, hostPlace, targetChoices } from './format.ts';
import { ServiceBadges, Star } from './HostTable.tsx';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

const list = (values: readonly string[]) => (values.length ? values.join(', ') : '—');

export function HostDetail({ host, favourite, onToggleFavourite, onUseTarget, onUseLocation }: {
  host: HostView;
  favourite: boolean;
  onToggleFavourite: () => void;
  onUseTarget: (target: string, label: string) => void;
  onUseLocation: () => void;
}) {
  const choices = targetChoices(host);
  const [choice, setChoice] = useState(0);
  const picked = choices[Math.min(choice, choices.length - 1)];
  const fresh = hostFreshness(host, Date.now());
  const l = host.location;
  const located = l.latitude !== null && l.longitude !== null;

  return (
    <section className="panel host-detail" aria-label="Selected host" data-testid="host-detail" data-host-id={host.id}>
      <header>
        <Star on={favourite} name={host.target} onToggle={onToggleFavourite} />
        <h2 className="truncate" title={host.target}>
          {host.target}
        </h2>
        <ServiceBadges host={host} />
      </header>
      <div className="row target-pick">
        <label>
          Test against
          <select name="target-choice" value={String(Math.min(choice, choices.length - 1))} onChange={(e) => setChoice(Number(e.target.value))}>
            {choices.map((c, i) => (
              <option key={c.value} value={i}>
                {c.value} ({c.label})
              </option>
            ))}
          </select>
        </label>
        <div className="actions">
          <button type="submit" name="use-as-target" disabled={!picked} onClick={() => picked && onUseTarget(picked.value, `${host.target}: ${picked.label}`)}>
            Use as target
          </button>
          <button type="button" name="use-location" disabled={!located} title={located ? '' : 'This host registered no coordinates'} onClick={onUseLocation}>
            Use this host's location
          </button>
        </div>
      </div>
      <dl className="host-fields">
        <Field label="Names">{list(host.names)}</Field>
        <Field label="IPv4">{list(host.addresses.ipv4)}</Field>
        <Field label="IPv6">{list(host.addresses.ipv6)}</Field>
        <Field label="Site">{l.site ?? '—'}</Field>
        <Field label="Place">
          {hostPlace(host)}
          {located ? ` (${l.latitude?.toFixed(3)}, ${l.longitude?.toFixed(3)})` : ''}
        </Field>
        {host.distanceKm !== null && <Field label="Distance">{formatDistance(host.distanceKm)}</Field>}
        <Field label="Communities">{list(host.communities)}</Field>
        <Field label="Domains">{list(host.domains)}</Field>
        <Field label="Roles">{list(host.roles)}</Field>
        <Field label="Toolkit">{[host.bundle, host.toolkitVersion].filter(Boolean).join(' ') || '—'}</Field>
        <Field label="OS">{host.os ?? '—'}</Field>
        <Field label="Access">{host.accessPolicy ?? '—'}</Field>
        <Field label="Capacity">
          {formatCapacity(host.capacity)}
          {host.mtu !== null ? `, MTU ${host.mtu}` : ''}
        </Field>
        <Field label="Freshness">
          <span className={`fresh ${fresh.state}`}>{fresh.text}</span> <span className="muted small">{fresh.title}</span>
        </Field>
        <Field label="Listed by">{list(host.sources)}</Field>
      </dl>
      <h3>Services</h3>
      <ul className="services">
        {host.services.map((s) => (
          <li key={s.uri}>
            <div>
              <span className={`svc svc-${/^[a-z0-9-]+$/.test(s.type) ? s.type : 'other'}`}>{s.type}</span> <span className="truncate">{s.name ?? ''}</span>
              {s.version && <span className="muted small"> {s.version}</span>}
            </div>
            {s.locators.map((loc) => (
              <div key={loc.url} className="locator">
                <code className="truncate" title={loc.url}>
                  {loc.url}
                </code>
                <button type="button" className="link" name="use-locator" data-locator-host={loc.host} data-service-type={s.type} onClick={() => onUseTarget(loc.host, `${host.target}: ${s.type} locator`)}>
                  use {loc.host.length > 40 ? `${loc.host.slice(0, 39)}…` : loc.host}
                </button>
              </div>
            ))}
            {(s.tests.length > 0 || s.tools.length > 0) && (
              <div className="muted small">
                {s.tests.length > 0 && `tests: ${s.tests.join(', ')}`}
                {s.tests.length > 0 && s.tools.length > 0 && ' · '}
                {s.tools.length > 0 && `tools: ${s.tools.join(', ')}`}
              </div>
            )}
          </li>
        ))}
      </ul>
      {host.interfaces.length > 0 && (
        <>
          <h3>Interfaces</h3>
          <ul className="interfaces">
            {host.interfaces.map((i, n) => (
              <li key={`${i.name ?? ''}-${n}`}>
                <span className="truncate">{i.name ?? 'interface'}</span>: {list(i.addresses)} · {formatCapacity(i.capacity)}
                {i.mtu !== null ? ` · MTU ${i.mtu}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
