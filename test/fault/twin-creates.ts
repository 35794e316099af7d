// Concurrent creates with one identity document in the fault simulation: both devices of a branch
// create the same person, and the invariant that HQ holds one customer per document (HQ migration
// 9); the other creation is refused DUPLICATE_DOCUMENT to its device's ledger, which the
// simulation's ledger check already covers.

interface Held {
  customerId: string;
  customer: Record<string, unknown>;
}

/** One violation per identity document that more than one master record holds. */
export function sharedDocuments(records: Iterable<Held>): string[] {
  const holders = new Map<string, Set<string>>();
  for (const { customerId, customer } of records) {
    const documents = customer.identityDocuments as { type: string; number: string }[] | undefined;
    for (const document of documents ?? []) {
      const key = `${document.type}:${document.number}`;
      holders.set(key, (holders.get(key) ?? new Set()).add(customerId));
    }
  }
  return [...holders.values()]
    .filter((ids) => ids.size > 1)
    .map((ids) => `one identity document held by ${[...ids].join(', ')}`);
}
