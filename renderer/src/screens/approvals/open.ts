// Opens a customer's 360 from a list outside the search, the way the search does: the record
// from the core (masked for the reader), then the search view showing it.
import { useCallback } from 'react';
import { useDesk } from '../../store';

export function useOpenCustomer(onError: (failure: unknown) => void) {
  const bridge = useDesk((state) => state.bridge)!;
  const set = useDesk((state) => state.set);
  return useCallback(
    async (id: string) => {
      try {
        const customer = await bridge.call('customer.show', { id });
        set({ customerId: id, customer, view: 'search' });
      } catch (failure) {
        onError(failure);
      }
    },
    [bridge, set, onError],
  );
}
