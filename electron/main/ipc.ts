import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Workbench } from '../core/workbench.ts';
import { CHANNELS, EVENT_CHANNEL } from '../shared/channels.ts';
import type { Result } from '../shared/errors.ts';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

const UNTRUSTED: Result<never> = { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame was refused.' } };

/**
 * One handler per contract channel. Each checks the sender (a window we created, showing our own
 * origin, main frame only) before the workbench validates the input.
 */
export function registerIpc(ipcMain: IpcMain, workbench: Workbench, isTrustedSender: SenderCheck): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, input: unknown) => (isTrustedSender(event) ? workbench.invoke(channel, input) : UNTRUSTED));
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Pushes every workbench event to the given windows' renderers. */
export function forwardEvents(workbench: Workbench, targets: () => WebContents[]): () => void {
  return workbench.subscribe((event) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
    }
  });
}
