import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Workbench } from '../core/workbench.ts';
import { CHANNELS, EVENT_CHANNEL } from '../shared/channels.ts';
import type { Result } from '../shared/errors.ts';
import { isAppUrl } from './security.ts';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/**
 * IPC is accepted only from the main frame of a window we created, showing our own origin
 * (checklist item 17): not from sub-frames, webviews or a page navigated elsewhere.
 */
export function trustedSenderCheck(isOurWindow: (contents: WebContents) => boolean, devServerUrl: string | undefined): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    return isOurWindow(event.sender) && frame !== null && frame === event.sender.mainFrame && isAppUrl(frame.url, devServerUrl);
  };
}

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
