import { describe, expect, it } from 'vitest';
import { DropCounter } from '../../electron/core/discovery/drops.ts';
import { normalizeRecord, normalizeRecords } from '../../electron/core/discovery/records.ts';
import { HOST_2016, INTERFACE_DAEMON, linkedReferenceSet, OWAMP_SERVICE_2015, PSCHEDULER_DAEMON } from '../doubles/lookup-service/fixtures.ts';
import { hostileCases } from '../doubles/lookup-service/hostile.ts';

const NOW = Date.parse('2026-07-22T12:00:00Z');

describe('normalizeRecord on the reference records', () => {
  it('keeps the 2015 owamp record while it was live, with only the keys discovery uses', () => {
    const outcome = normalizeRecord(OWAMP_SERVICE_2015, Date.parse('2015-09-01T19:00:00Z'));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.record).toMatchObject({ uri: OWAMP_SERVICE_2015.uri, type: 'service', expires: Date.parse(OWAMP_SERVICE_2015.expires) });
    expect(outcome.record.fields['service-locator']).toEqual(['tcp://pfs1-lat.srry1.BC.net:861']);
    expect(outcome.record.fields['group-communities']).toEqual(['ComputeCanada', 'CANARIE', 'HEPnet-Canada']);
    expect(outcome.record.fields).not.toHaveProperty('psservice-eventtypes');
    expect(outcome.record.fields).not.toHaveProperty('service-administrators');
  });

  it('drops the verbatim 2015/2016 records today as expired', () => {
    expect(normalizeRecord(OWAMP_SERVICE_2015, NOW)).toEqual({ ok: false, reason: 'expired' });
    expect(normalizeRecord(HOST_2016, NOW)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses the registration-daemon fixtures, which lack the uri the LS adds', () => {
    expect(normalizeRecord(INTERFACE_DAEMON, NOW)).toEqual({ ok: false, reason: 'missing-uri' });
    expect(normalizeRecord(PSCHEDULER_DAEMON, NOW)).toEqual({ ok: false, reason: 'missing-uri' });
  });

  it('accepts every record of the linked, live reference set', () => {
    const drops = new DropCounter();
    const records = normalizeRecords(linkedReferenceSet(NOW), NOW, drops);
    expect(records).toHaveLength(6);
    expect(drops.total).toBe(0);
    // "service-host": [""] style empty strings are not values
    const pscheduler = records.find((r) => r.fields['service-type']?.[0] === 'pscheduler');
    expect(pscheduler?.fields['service-administrators']).toBeUndefined();
  });

  it('skips empty strings, trims and de-duplicates values', () => {
    const outcome = normalizeRecord(
      { type: ['host'], uri: 'lookup/host/x1', expires: '2026-07-22T13:00:00Z', 'host-name': ['', ' a.example.net ', 'a.example.net'], 'group-domains': [] },
      NOW,
    );
    expect(outcome.ok && outcome.record.fields).toEqual({ 'host-name': ['a.example.net'] });
  });

  it('tolerates a bare string where a list is expected', () => {
    const outcome = normalizeRecord({ type: 'service', uri: 'lookup/service/x2', expires: '2026-07-22T13:00:00Z', 'service-type': 'owamp' }, NOW);
    expect(outcome.ok && outcome.record).toMatchObject({ type: 'service', fields: { 'service-type': ['owamp'] } });
  });

  it('falls back to _expiresAsTimestamp when expires is missing', () => {
    const outcome = normalizeRecord({ type: ['host'], uri: 'lookup/host/x3', _expiresAsTimestamp: NOW + 1000 }, NOW);
    expect(outcome.ok && outcome.record.expires).toBe(NOW + 1000);
  });

  it('accepts ISO times with offsets and refuses free-form dates', () => {
    expect(normalizeRecord({ type: ['host'], uri: 'lookup/host/x4', expires: '2026-07-22T14:00:00.000+02:00' }, NOW).ok).toBe(false); // = 12:00Z, not after now
    expect(normalizeRecord({ type: ['host'], uri: 'lookup/host/x4', expires: '2026-07-22T14:00:01.000+02:00' }, NOW).ok).toBe(true);
    expect(normalizeRecord({ type: ['host'], uri: 'lookup/host/x4', expires: 'Wed, 22 Jul 2026 13:00:00 GMT' }, NOW)).toEqual({ ok: false, reason: 'bad-expires' });
  });
});

describe('normalizeRecord on hostile records', () => {
  for (const c of hostileCases(NOW)) {
    it(`${c.name} → ${c.reason ?? 'kept'}`, () => {
      const outcome = normalizeRecord(c.record, NOW);
      if (c.reason === null) expect(outcome.ok).toBe(true);
      else expect(outcome).toEqual({ ok: false, reason: c.reason });
    });
  }

  it('never lets __proto__ through as a field or into the prototype', () => {
    const c = hostileCases(NOW).find((x) => x.name === '__proto__ key');
    const outcome = normalizeRecord(c?.record, NOW);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(Object.getPrototypeOf(outcome.record.fields)).toBe(Object.prototype);
    expect(Object.keys(outcome.record.fields)).toEqual(['service-type', 'service-locator']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts every refusal by reason', () => {
    const drops = new DropCounter();
    const cases = hostileCases(NOW);
    const kept = normalizeRecords(cases.map((c) => c.record), NOW, drops);
    expect(kept).toHaveLength(cases.filter((c) => c.reason === null).length);
    const expected: Record<string, number> = {};
    for (const c of cases) if (c.reason) expected[c.reason] = (expected[c.reason] ?? 0) + 1;
    expect(drops.toJSON()).toEqual(expected);
  });
});
