import type { Channel } from '../../../electron/shared/channels.ts';
import type { Result } from '../../../electron/shared/errors.ts';
import type { WorkbenchEvent } from '../../../electron/shared/events.ts';

/** What both transports (Electron IPC and the serve bridge) provide. */
export interface RawTransport {
  kind: 'electron' | 'bridge';
  call(channel: Channel, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: WorkbenchEvent) => void): () => void;
  onConnection?(listener: (connected: boolean) => void): () => void;
}
