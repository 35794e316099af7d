// Updates from the feed IT hosts (machine configuration `updateFeedUrl`, https only), through
// electron-updater. Before installing it checks the download's SHA-512 against the feed's
// latest*.yml (fetched over https; the file itself is not signed) and, on Windows and macOS, the
// installer's code signature against the running app's publisher; Linux packages get the hash
// check only. A version lower than the running one is never installed; a feed that sets
// `stagingPercentage` reaches that share of PCs. The Windows install is per-machine, so applying
// an update needs an administrator: on PCs where tellers are not, IT pushes the same silent
// installer with its own tooling (docs/OPERATIONS.md). Development builds never update.
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { MachineConfig } from '../../shared/protocol/machine-config';

const SIX_HOURS = 6 * 3600_000;

export function startUpdates(config: MachineConfig): void {
  if (!app.isPackaged || !config.updateFeedUrl) return;
  const { autoUpdater } = electronUpdater;
  autoUpdater.setFeedURL({ provider: 'generic', url: config.updateFeedUrl });
  autoUpdater.allowDowngrade = false;
  autoUpdater.allowPrerelease = false;
  autoUpdater.autoDownload = true;
  // Installed when the teller closes the app, never in the middle of serving a customer.
  autoUpdater.autoInstallOnAppQuit = true;
  const check = () => void autoUpdater.checkForUpdates().catch(() => undefined);
  check();
  setInterval(check, SIX_HOURS).unref();
}
