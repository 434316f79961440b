import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from '../shared/ipc/api-shape'
import { CHANNELS } from '../shared/ipc/channels'

// One function per channel and nothing else: the page never sees ipcRenderer or an event object.
contextBridge.exposeInMainWorld(
  'api',
  buildApi(CHANNELS, (channel, input) => ipcRenderer.invoke(channel, input))
)
