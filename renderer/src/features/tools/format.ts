/** "icmp-needs-privileges" → "icmp (needs privileges)"; other capabilities as the core names them. */
export function capabilityLabel(capability: string): string {
  const needs = /^(.+)-needs-(privileges|root)$/.exec(capability);
  return needs ? `${needs[1]} (needs ${needs[2]})` : capability;
}
