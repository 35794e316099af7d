// How many changes wait for this supervisor (not their own): the badge on 待审批. Refreshed on a
// timer, after a sync, and whenever the inbox loads or decides.
import { create } from 'zustand';
import type { Bridge } from '../../bridge';

interface Waiting {
  count: number | undefined;
  refresh(bridge: Bridge): Promise<void>;
}

export const useWaiting = create<Waiting>((set) => ({
  count: undefined,
  refresh: async (bridge) => {
    try {
      set({ count: (await bridge.call('approvals.count', {})).pending });
    } catch {
      // Locked, signed out or offline from the core: the badge shows nothing rather than a guess.
      set({ count: undefined });
    }
  },
}));
