import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { CHANNELS } from '../../shared/ipc/channels'
import type { Handlers } from '../handlers'
import { dispatch, type CallSender } from './dispatch'

function senderOf(event: IpcMainInvokeEvent): CallSender {
  // senderFrame is null once the frame navigated away or was destroyed; such calls are refused.
  const frame = event.senderFrame
  if (!frame || frame.isDestroyed()) return { url: null, isTopFrame: false }
  return { url: frame.url, isTopFrame: frame.parent === null }
}

/** Registers every channel of the contract on ipcMain through the one dispatch wrapper. */
export function registerIpc(ipcMain: IpcMain, handlers: Handlers, options: { appOrigin: string }): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, raw: unknown) => dispatch(handlers, channel, raw, senderOf(event), options))
  }
}
