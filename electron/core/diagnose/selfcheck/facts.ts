/** What the self-check reads from the host, platform-neutral. Null means "could not read". */
export interface InterfaceFacts {
  name: string;
  mtu: number | null;
  speedMbps: number | null;
  duplex: 'full' | 'half' | null;
  up: boolean;
  wireless: boolean;
  virtual: boolean;
  txQueueLength: number | null;
  qdisc: string | null;
}

export interface HostFacts {
  platform: NodeJS.Platform;
  hostname: string;
  kernel: string;
  cpus: number;
  tcp: {
    rmemMax: number | null;
    wmemMax: number | null;
    tcpRmem: [number, number, number] | null;
    tcpWmem: [number, number, number] | null;
    congestion: string | null;
    availableCongestion: string[];
    windowScaling: boolean | null;
    timestamps: boolean | null;
    sack: boolean | null;
    mtuProbing: number | null;
    defaultQdisc: string | null;
  };
  /** macOS: kern.ipc.maxsockbuf and the autotuning maxima. */
  mac: { maxSockBuf: number | null; autoRcvBufMax: number | null; autoSndBufMax: number | null } | null;
  /** Windows: the receive window auto-tuning level from netsh. */
  windows: { autotuning: string | null } | null;
  interfaces: InterfaceFacts[];
  cpuGovernors: string[];
}

export const emptyTcpFacts = (): HostFacts['tcp'] => ({
  rmemMax: null,
  wmemMax: null,
  tcpRmem: null,
  tcpWmem: null,
  congestion: null,
  availableCongestion: [],
  windowScaling: null,
  timestamps: null,
  sack: null,
  mtuProbing: null,
  defaultQdisc: null,
});
