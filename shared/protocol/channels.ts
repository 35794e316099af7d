// IPC channel names between a window's preload and the main process (a module with no imports:
// the sandboxed preload bundles it whole).
export const DESK_CONNECT_CHANNEL = 'branchdesk:connect';
export const DESK_PORT_CHANNEL = 'branchdesk:port';
