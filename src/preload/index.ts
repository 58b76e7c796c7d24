// The sandboxed preload: exposes window.settle and nothing else. It holds no logic; the main
// process validates the sender and the input of every call (see main/shell/ipc.ts).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildSettleApi } from './expose';

const api = buildSettleApi(
  (channel, input) => ipcRenderer.invoke(channel, input),
  (channel, listener) => {
    // The IpcRendererEvent (which carries ipcRenderer itself) never reaches the page.
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
);

contextBridge.exposeInMainWorld('settle', api);
