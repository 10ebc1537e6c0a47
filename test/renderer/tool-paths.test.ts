import { describe, expect, it } from 'vitest';
import { capabilityLabel } from '../../renderer/src/features/tools/format.ts';
import { withToolPath } from '../../renderer/src/features/tools/toolPaths.ts';

describe('tools screen: the toolPaths setting it sends', () => {
  it('sets one tool, keeps the others, and removes a cleared one', () => {
    const paths = withToolPath({ mtr: '/opt/mtr' }, 'iperf3', '  /opt/iperf3  ');
    expect(paths).toEqual({ mtr: '/opt/mtr', iperf3: '/opt/iperf3' });
    expect(withToolPath(paths, 'mtr', ' ')).toEqual({ iperf3: '/opt/iperf3' });
  });
});

describe('tools screen: capability labels', () => {
  it('says which probe methods need privileges', () => {
    expect(['udp', 'icmp-needs-privileges', 'interval-below-1s-needs-root'].map(capabilityLabel)).toEqual(['udp', 'icmp (needs privileges)', 'interval-below-1s (needs root)']);
  });
});
