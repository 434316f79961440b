import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { buildApi } from '../shared/ipc/api-shape'
import { CHANNELS, EVENTS } from '../shared/ipc/channels'

// One function per channel and one subscription per event, nothing else: the page never sees
// ipcRenderer or an IPC event object.
contextBridge.exposeInMainWorld(
  'api',
  buildApi(
    CHANNELS,
    (channel, input) => ipcRenderer.invoke(channel, input),
    EVENTS,
    (event, listener) => {
      const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
      ipcRenderer.on(event, forward)
      return () => ipcRenderer.removeListener(event, forward)
    }
  )
)
