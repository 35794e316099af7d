// Saving one of the 360's own entries (a note, a task, a task's status): the command, then the
// customer read again so the page shows what the core stored, masked for this user.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../../store';
import { formErrorText } from '../forms/form-errors';

export function useEntrySave(customerId: string) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const set = useDesk((state) => state.set);
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  async function run(save: () => Promise<unknown>): Promise<boolean> {
    if (saving) return false;
    setSaving(true);
    setFailure(undefined);
    try {
      await save();
      set({ customer: await bridge.call('customer.show', { id: customerId }) });
      return true;
    } catch (error) {
      // A refused entry names its field's problem in words, as the forms do.
      setFailure(formErrorText(error, locale, t));
      return false;
    } finally {
      setSaving(false);
    }
  }
  return { run, failure, saving };
}
