// After a save, one short line saying what became of it: saved here and waiting for the sync to
// HQ, or submitted and waiting for a supervisor (maker-checker). The editor closes on save, so
// the line is a message of the desk, not of the editor.
import { App } from 'antd';
import { useTranslation } from 'react-i18next';

export type SavedOutcome = 'sync' | 'approval';

export function useSavedNotice() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (outcome: SavedOutcome) => {
    void message.success({
      content: <span data-testid={`saved-${outcome}`}>{t(`forms.saved.${outcome}`)}</span>,
      duration: 6,
    });
  };
}
