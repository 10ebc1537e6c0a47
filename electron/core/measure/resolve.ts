import { lookup } from 'node:dns/promises';
import { ipFamily } from '../../shared/ip.ts';
import { WorkbenchError } from '../../shared/errors.ts';

/**
 * Resolves a (validated) host name before any tool sees it, so "no such host" is a clear error
 * rather than whatever each tool prints (iperf3 3.12 says "Invalid argument").
 */
export async function resolveHost(host: string, family: 'any' | '4' | '6', timeoutMs = 5000): Promise<{ address: string; family: 4 | 6 }> {
  const literal = ipFamily(host.split('%')[0] ?? host);
  if (literal !== null) {
    if (family !== 'any' && String(literal) !== family) {
      throw new WorkbenchError('INVALID_INPUT', `${host} is an IPv${literal} address but IPv${family} was requested.`);
    }
    return { address: host, family: literal };
  }
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new WorkbenchError('HOST_UNKNOWN', `Looking up ${host} took longer than ${timeoutMs} ms.`)), timeoutMs).unref();
  });
  try {
    const result = await Promise.race([lookup(host, { family: family === 'any' ? 0 : Number(family) }), timeout]);
    return { address: result.address, family: result.family === 6 ? 6 : 4 };
  } catch (error) {
    if (error instanceof WorkbenchError) throw error;
    const wanted = family === 'any' ? '' : ` (IPv${family})`;
    throw new WorkbenchError('HOST_UNKNOWN', `The host name ${host} could not be resolved${wanted}.`, { cause: error });
  }
}
