import { iso } from './fixtures.ts';

/*
 * Records a hostile or broken Lookup Service could serve, each with what the client must do with
 * it: refuse the whole record (counted under `reason`), or keep the record but refuse one value
 * (counted while joining). Names and addresses come from example.* zones and TEST-NET ranges.
 */

export interface HostileCase {
  name: string;
  record: unknown;
  /** Record-level refusal reason, or null when the record is kept (and `valueDrop` says what is refused in it). */
  reason: string | null;
  valueDrop?: string;
}

const LONG = 'x'.repeat(10_000);

export function hostileCases(now: number): HostileCase[] {
  const live = iso(now + 3600_000);
  let n = 0;
  const uri = (type: string) => `lookup/${type}/hostile-${type}-${(n += 1)}`;
  const service = (extra: Record<string, unknown>) => ({
    type: ['service'],
    uri: uri('service'),
    expires: live,
    'service-type': ['owamp'],
    'service-locator': ['tcp://ps.hostile.example.net:861'],
    ...extra,
  });
  const host = (extra: Record<string, unknown>) => ({ type: ['host'], uri: uri('host'), expires: live, ...extra });
  return [
    { name: 'a string instead of a record', record: 'not a record', reason: 'not-an-object' },
    { name: 'a number instead of a record', record: 42, reason: 'not-an-object' },
    { name: 'null instead of a record', record: null, reason: 'not-an-object' },
    { name: 'an array instead of a record', record: [1, 2], reason: 'not-an-object' },
    { name: 'no uri', record: { type: ['service'], expires: live }, reason: 'missing-uri' },
    { name: 'uri is a number', record: { type: ['service'], uri: 7, expires: live }, reason: 'wrong-type' },
    { name: 'uri with a comma', record: { type: ['service'], uri: 'lookup/service/a,b', expires: live }, reason: 'bad-uri' },
    { name: 'uri with path traversal', record: { type: ['service'], uri: 'lookup/service/../../etc/passwd', expires: live }, reason: 'bad-uri' },
    { name: 'uri of 10,000 characters', record: { type: ['service'], uri: `lookup/service/${LONG}`, expires: live }, reason: 'oversized-value' },
    { name: 'no type', record: { uri: uri('service'), expires: live }, reason: 'missing-type' },
    { name: 'type is an object', record: { uri: uri('service'), type: { a: 1 }, expires: live }, reason: 'wrong-type' },
    { name: 'a person record', record: { type: ['person'], uri: uri('person'), expires: live, 'person-name': ['A'] }, reason: 'other-type' },
    { name: 'no expires', record: { type: ['service'], uri: uri('service') }, reason: 'missing-expires' },
    { name: 'expires is not a time', record: service({ expires: 'tomorrow' }), reason: 'bad-expires' },
    { name: 'expires is a number', record: service({ expires: 12 }), reason: 'bad-expires' },
    { name: 'expired', record: service({ expires: iso(now - 60_000) }), reason: 'expired' },
    { name: 'locator is a number', record: service({ 'service-locator': 5 }), reason: 'wrong-type' },
    { name: 'name list holds a number', record: service({ 'service-name': [1] }), reason: 'wrong-type' },
    { name: 'host-name is an object', record: host({ 'host-name': { a: 1 } }), reason: 'wrong-type' },
    { name: 'escape sequence in a name', record: service({ 'service-name': ['evil\u001b[31mred'] }), reason: 'control-characters' },
    { name: 'newline in a city', record: service({ 'location-city': ['Geneva\nFAKE LINE'] }), reason: 'control-characters' },
    { name: 'bidi override in a site', record: service({ 'location-sitename': ['abc\u202edcba'] }), reason: 'control-characters' },
    { name: 'NUL in a locator', record: service({ 'service-locator': ['tcp://ps.example.net\u0000:861'] }), reason: 'control-characters' },
    { name: 'name of 10,000 characters', record: service({ 'service-name': [LONG] }), reason: 'oversized-value' },
    { name: '300 communities', record: service({ 'group-communities': Array.from({ length: 300 }, (_, i) => `c${i}`) }), reason: 'too-many-values' },
    {
      name: '__proto__ key',
      record: JSON.parse(`{"type":["service"],"uri":"${uri('service')}","expires":"${live}","service-type":["owamp"],"service-locator":["tcp://proto.hostile.example.net:861"],"__proto__":["polluted"]}`),
      reason: null,
    },
    { name: 'unused key of 10,000 characters (ignored)', record: service({ 'host-os-kernel': [LONG], 'service-locator': ['tcp://kernel.hostile.example.net:861'] }), reason: null },
    { name: 'option-like locator -x', record: service({ 'service-locator': ['tcp://-x:861', 'tcp://ok-x.hostile.example.net:861'] }), reason: null, valueDrop: 'invalid-locator' },
    { name: 'option-like locator --foo=bar', record: service({ 'service-locator': ['tcp://--foo=bar:861', 'tcp://ok-foo.hostile.example.net:861'] }), reason: null, valueDrop: 'invalid-locator' },
    { name: 'bare option-like locator', record: service({ 'service-type': ['traceroute'], 'service-locator': ['--foo=bar', 'ok-bare.hostile.example.net'] }), reason: null, valueDrop: 'invalid-locator' },
    { name: 'option-like host names', record: host({ 'host-name': ['-x', '--foo=bar', 'ok-host.hostile.example.net'] }), reason: null, valueDrop: 'invalid-host-name' },
    { name: 'shell characters in a host name', record: host({ 'host-name': ['a;rm -rf ~', '$(reboot)', 'ok-shell.hostile.example.net'] }), reason: null, valueDrop: 'invalid-host-name' },
  ];
}

/** A host with only option-like names and locators: nothing usable, the whole host must go. */
export function unusableHost(now: number): unknown[] {
  const live = iso(now + 3600_000);
  return [
    { type: ['host'], uri: 'lookup/host/hostile-unusable', expires: live, 'host-name': ['-x', '--foo=bar'] },
    {
      type: ['service'],
      uri: 'lookup/service/hostile-unusable-owamp',
      expires: live,
      'service-type': ['owamp'],
      'service-host': ['lookup/host/hostile-unusable'],
      'service-locator': ['tcp://-x:861', 'tcp://--foo=bar:861'],
    },
  ];
}
