import { randomBytes } from 'node:crypto';

/** Every namespace this lab creates starts with this, and nothing else on the machine may. */
export const LAB_PREFIX = 'pswlab-';

const LAB_ID = /^[a-z0-9]{1,8}$/;
const NODE_NAME = /^[a-z][a-z0-9]{0,9}$/;
const LAB_NAMESPACE = /^pswlab-([a-z0-9]{1,8})-([a-z][a-z0-9]{0,9})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function isLabId(id: string): boolean {
  return LAB_ID.test(id);
}

export function isNodeName(name: string): boolean {
  return NODE_NAME.test(name);
}

export function randomLabId(): string {
  return [...randomBytes(6)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

export function namespaceName(labId: string, node: string): string {
  if (!isLabId(labId)) throw new Error(`Invalid lab id ${JSON.stringify(labId)}: 1-8 characters a-z, 0-9.`);
  if (!isNodeName(node)) throw new Error(`Invalid node name ${JSON.stringify(node)}: a-z then up to 9 of a-z, 0-9.`);
  return `${LAB_PREFIX}${labId}-${node}`;
}

export function parseLabNamespace(name: string): { labId: string; node: string } | null {
  const match = LAB_NAMESPACE.exec(name);
  return match?.[1] && match[2] ? { labId: match[1], node: match[2] } : null;
}

export function isLabNamespace(name: string): boolean {
  return parseLabNamespace(name) !== null;
}

/** The interface a node uses to reach a neighbour: "to-r1". At most 13 characters (Linux allows 15). */
export function linkInterface(peer: string): string {
  if (!isNodeName(peer)) throw new Error(`Invalid node name ${JSON.stringify(peer)}.`);
  return `to-${peer}`;
}

/** TUN devices of delay lines: "dl1", "dl2", ... */
export function delayInterface(index: number): string {
  return `dl${index}`;
}

export const LAB_INTERFACE = /^(?:to-[a-z][a-z0-9]{0,9}|dl\d{1,4})$/;
