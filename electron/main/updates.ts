// Updates from the feed IT hosts (machine configuration `updateFeedUrl`, https only), through
// electron-updater: it checks the download's SHA-512 from the feed's signed metadata and, on
// Windows and macOS, the installer's code signature against this app's publisher before it
// installs; a version lower than the running one is never installed; a feed that sets
// `stagingPercentage` rolls out to that share of PCs. Development builds never update.
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
