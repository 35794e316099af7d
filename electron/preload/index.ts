// The preload bridge. It will expose only named functions typed by the command contract
// (desktop-shell issue); for now it exposes nothing, and never raw ipcRenderer.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('branchdesk', Object.freeze({ bridge: 'electron' as const }));
