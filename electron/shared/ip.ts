/** IP literal checks that run anywhere (renderer, core, CLI): no node:net here. */

const IPV4_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => IPV4_OCTET.test(p));
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const ZONE_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/** RFC 4291 text forms, with an optional RFC 4007 zone ("%eth0"); no brackets. */
export function isIPv6(text: string): boolean {
  if (text.length > 80) return false;
  let address = text;
  const percent = text.indexOf('%');
  if (percent !== -1) {
    if (!ZONE_ID.test(text.slice(percent + 1))) return false;
    address = text.slice(0, percent);
  }
  let groupBudget = 8;
  const lastColon = address.lastIndexOf(':');
  if (lastColon !== -1 && address.slice(lastColon + 1).includes('.')) {
    if (!isIPv4(address.slice(lastColon + 1))) return false;
    address = address.slice(0, lastColon + 1) + '0';
    groupBudget = 7;
  }
  const doubleColon = address.indexOf('::');
  if (doubleColon !== address.lastIndexOf('::')) return false;
  if (doubleColon === -1) {
    const groups = address.split(':');
    return groups.length === groupBudget && groups.every((g) => HEX_GROUP.test(g));
  }
  const head = address.slice(0, doubleColon);
  const tail = address.slice(doubleColon + 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  if (!headGroups.every((g) => HEX_GROUP.test(g)) || !tailGroups.every((g) => HEX_GROUP.test(g))) {
    return false;
  }
  return headGroups.length + tailGroups.length <= groupBudget - 1;
}

export function ipFamily(text: string): 4 | 6 | null {
  if (isIPv4(text)) return 4;
  if (isIPv6(text)) return 6;
  return null;
}
