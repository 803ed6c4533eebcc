/**
 * Registers the handler table on ipcMain. Every call is first checked to come
 * from our own page in the main frame of our window; anything else (another
 * frame, a navigated page, a devtools extension) gets 'forbidden' and nothing
 * runs. Arguments are then validated by the table itself.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, type InvokeChannel, type MessengerEvent, type Result } from '../preload/contract.js';
import type { HandlerTable } from './core/app/ipc-handlers.js';
import { isAppPage } from './window.js';

function fromTrustedSender(event: IpcMainInvokeEvent, trusted: () => WebContents | null): boolean {
  const contents = trusted();
  const frame = event.senderFrame;
  return Boolean(
    contents && event.sender === contents && frame && frame === contents.mainFrame && isAppPage(frame.url),
  );
}

export function registerIpc(ipcMain: IpcMain, handlers: HandlerTable, trusted: () => WebContents | null): void {
  for (const key of Object.keys(handlers) as InvokeChannel[]) {
    ipcMain.handle(CHANNELS[key], async (event, ...args: unknown[]): Promise<Result<unknown>> => {
      if (!fromTrustedSender(event, trusted)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'This request did not come from Balcony’s own window.' },
        };
      }
      return handlers[key](args);
    });
  }
}

export function sendEvent(contents: WebContents | null, event: MessengerEvent): void {
  if (contents && !contents.isDestroyed()) contents.send(CHANNELS.event, event);
}
