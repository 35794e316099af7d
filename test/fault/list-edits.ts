// The simulation's edits to lists merged entry by entry (phones, addresses, tasks), and its check
// that none of them is lost. Edits aim at the first two entries of a hot customer's lists, so
// devices and HQ often change the same entry at once, and as often different ones or new ones.
//
// Lost-edit check: every entry value (or removal) a device's edit wrote that nobody else wrote
// for that entry must be in HQ's final record, in HQ's field history (it lost to a later write),
// or in the device's rejected ledger. Entries written more than once are left out: a later write
// may overwrite an earlier one it saw, which is not a loss.
import type { CustomerService } from '../../electron/core/customers';
import type { Vault } from '../../electron/core/vault';
import { entryListFields, isEntryListField, type Customer } from '../../shared/customer';
import { isBranchDeskError } from '../../shared/errors';
import type { Mutation } from '../../shared/protocol/mutations';
import { sameJson } from '../../shared/sync/canonical';
import { changedEntryIds } from '../../shared/sync/entry-merge';
import type { RecordRandom } from '../../shared/synthetic/random';
import type { hqAdmin } from '../support/hq';

type Entry = { id: string } & Record<string, unknown>;

/** One change to one of the customer's entry lists, as a teller or HQ makes it. */
export function listChange(
  customer: Customer,
  random: RecordRandom,
  uuid: () => string,
  tag: string,
): Record<string, unknown> {
  const mobile = () => `+86139${String(random.int(100_000_000)).padStart(8, '0')}`;
  const near = <T>(list: readonly T[]) => random.int(Math.min(2, list.length));
  const phones = customer.phones;
  switch (random.pick(['phone_add', 'phone_change', 'phone_remove', 'address', 'task'])) {
    case 'phone_add':
      return { phones: [...phones, { id: uuid(), kind: 'mobile', e164: mobile() }] };
    case 'phone_change': {
      if (phones.length === 0) return { phones: [{ id: uuid(), kind: 'mobile', e164: mobile() }] };
      const index = near(phones);
      return {
        phones: phones.map((phone, at) =>
          at === index ? { ...phone, kind: 'mobile', e164: mobile() } : phone,
        ),
      };
    }
    case 'phone_remove': {
      // Never the last phone or the primary one: the record must stay valid on its own.
      const index = phones.findIndex((phone, at) => at > 0 && phone.primary !== true);
      if (index < 0) return { phones: [...phones, { id: uuid(), kind: 'mobile', e164: mobile() }] };
      return { phones: phones.filter((_, at) => at !== index) };
    }
    case 'address': {
      const addresses = customer.addresses;
      if (addresses.length === 0 || random.chance(0.3)) {
        const template = addresses[0];
        if (!template) return {};
        return {
          addresses: [
            ...addresses,
            { ...template, id: uuid(), kind: 'mailing', line: `新址 ${tag}` },
          ],
        };
      }
      const index = near(addresses);
      return {
        addresses: addresses.map((address, at) =>
          at === index ? { ...address, line: `改址 ${tag}` } : address,
        ),
      };
    }
    default: {
      const tasks = customer.tasks;
      if (tasks.length === 0 || random.chance(0.4)) {
        const task = { id: uuid(), title: `回访 ${tag}`, dueOn: '2027-03-01', status: 'open' };
        return { tasks: [...tasks, { ...task, assignee: 'sim' }] };
      }
      const index = near(tasks);
      const status = random.pick(['open', 'done', 'cancelled'] as const);
      return { tasks: tasks.map((task, at) => (at === index ? { ...task, status } : task)) };
    }
  }
}

interface Write {
  device: string;
  mutationId: string;
  customerId: string;
  field: string;
  id: string;
  /** The entry as written; null for a removal. */
  value: Entry | null;
}

/** Every entry write the run makes, from devices' outboxes and from HQ's staff edits. */
export class ListWrites {
  private readonly writes: Write[] = [];
  private readonly count = new Map<string, number>();
  /** Mutation ids read already (outbox seqs are reused once the outbox empties). */
  private readonly seen = new Set<string>();

  private key(customerId: string, field: string, id: string): string {
    return `${customerId}/${field}/${id}`;
  }

  private bump(customerId: string, field: string, id: string): void {
    const key = this.key(customerId, field, id);
    this.count.set(key, (this.count.get(key) ?? 0) + 1);
  }

  /** Reads the mutations queued since the last call: every mutation passes its outbox. */
  collect(device: string, vault: Vault): void {
    const rows = vault.db
      .prepare('SELECT mutation FROM outbox ORDER BY seq')
      .pluck()
      .all() as string[];
    for (const row of rows) {
      const mutation = JSON.parse(row) as Mutation;
      if (this.seen.has(mutation.mutationId)) continue;
      this.seen.add(mutation.mutationId);
      if (mutation.kind !== 'update') continue;
      for (const [field, change] of Object.entries(mutation.fields)) {
        if (!change || !isEntryListField(field)) continue;
        const to = new Map(
          (Array.isArray(change.to) ? (change.to as Entry[]) : []).map((e) => [e.id, e]),
        );
        for (const id of changedEntryIds(change.from, change.to)) {
          this.bump(mutation.customerId, field, id);
          this.writes.push({
            device,
            mutationId: mutation.mutationId,
            customerId: mutation.customerId,
            field,
            id,
            value: to.get(id) ?? null,
          });
        }
      }
    }
  }

  /** An edit HQ's staff made. */
  hqEdit(customer: Record<string, unknown>, changes: Record<string, unknown>): void {
    for (const field of entryListFields) {
      if (!(field in changes)) continue;
      for (const id of changedEntryIds(customer[field], changes[field]))
        this.bump(String(customer.id), field, id);
    }
  }

  /** Violations: entry writes found nowhere. */
  async check(
    admin: ReturnType<typeof hqAdmin>,
    records: ReadonlyMap<string, { customer: Record<string, unknown> }>,
    ledgerOf: (device: string) => Vault,
    /**
     * Where a customer merged away went (hq/merges.ts): the survivor, and the id an entry has
     * there (moved when the survivor already used it).
     */
    merged: (
      customerId: string,
      field: string,
      id: string,
    ) => { customerId: string; id: string }[] = () => [],
  ): Promise<{ violations: string[]; checked: number }> {
    const violations: string[] = [];
    const histories = new Map<string, { field: string; value: unknown }[]>();
    let checked = 0;
    for (const write of this.writes) {
      if (this.count.get(this.key(write.customerId, write.field, write.id)) !== 1) continue;
      const direct = records.has(write.customerId);
      const places = direct
        ? [{ customerId: write.customerId, id: write.id }]
        : merged(write.customerId, write.field, write.id);
      // An entry of a record merged away is written again where it went (the survivor, under its
      // id there) by whoever saw it after the merge: that write may change or remove it, as for
      // an entry written twice. The survivor's own entry under the same id counts as well (which
      // of the ids the entry took is not known here): that only checks less.
      if (places.some((place) => this.count.has(this.key(place.customerId, write.field, place.id))))
        continue;
      checked++;
      // At a merge the survivor keeps one primary phone: an entry that moved may have lost the
      // flag, and carries a new id when its old one was taken, or the id of the survivor's own
      // entry it was united with (the same phone number, the same address). It is the same entry.
      const same = (entry: unknown): unknown => {
        if (direct || entry === null || typeof entry !== 'object') return entry;
        const { id: _id, primary: _primary, ...rest } = entry as Entry & { primary?: unknown };
        return rest;
      };
      const byId = places.map((place) => {
        const list = records.get(place.customerId)?.customer[write.field];
        const now = (Array.isArray(list) ? (list as Entry[]) : []).find((e) => e.id === place.id);
        return now ?? null;
      });
      const found =
        direct || write.value === null
          ? byId
          : [...new Set(places.map((place) => place.customerId))].flatMap((customerId) => {
              const list = records.get(customerId)?.customer[write.field];
              return Array.isArray(list) ? (list as Entry[]) : [];
            });
      if (found.some((now) => sameJson(same(now), same(write.value)))) continue;
      if (places.length === 0 && write.value === null) continue;
      const ledger = ledgerOf(write.device)
        .db.prepare('SELECT count(*) FROM sync_rejected WHERE mutation_id = ?')
        .pluck()
        .get(write.mutationId) as number;
      if (ledger > 0) continue;
      let kept = false;
      for (const customerId of new Set([write.customerId, ...places.map((p) => p.customerId)])) {
        if (!histories.has(customerId))
          histories.set(customerId, (await admin.history(customerId)).entries);
        kept ||= histories
          .get(customerId)!
          .some((row) => row.field === write.field && sameJson(same(row.value), same(write.value)));
      }
      if (!kept)
        violations.push(
          `${write.device}: ${write.field} entry ${write.id} of ${write.customerId} (mutation ${write.mutationId}) lost`,
        );
    }
    return { violations, checked };
  }
}

interface RacingDevice {
  name: string;
  customers: CustomerService;
}

/**
 * Two devices change one customer's lists at once, neither seeing the other's edit: the same
 * entry, different entries or new ones, as `listChange` falls. Returns the edits queued (for the
 * simulation's acknowledged list) and the codes of those the device refused.
 */
export function listRace<D extends RacingDevice>(
  racers: readonly D[],
  pick: (ids: string[]) => string,
  /** The order the ids are picked from (the simulation's: not by id, see simulation.ts). */
  order: (a: string, b: string) => number,
  random: RecordRandom,
  uuid: () => string,
  tag: string,
  asDevice: <T>(device: D, work: () => T) => T,
): { queued: { device: D; mutationId: string; customerId: string }[]; refused: string[] } {
  const queued: { device: D; mutationId: string; customerId: string }[] = [];
  const refused: string[] = [];
  const held = racers.map(
    (each) =>
      new Set(each.customers.vault.db.prepare('SELECT id FROM customer').pluck().all() as string[]),
  );
  const shared = [...(held[0] ?? [])].filter((id) => held.every((ids) => ids.has(id))).sort(order);
  if (shared.length === 0) return { queued, refused };
  const id = pick(shared);
  for (const device of racers) {
    const stored = device.customers.store.get(id)!;
    const changes = listChange(stored.customer, random, uuid, `${tag}-${device.name}`);
    try {
      asDevice(device, () =>
        device.customers.update(id, stored.customer.version, changes, { id: 'sim-teller' }),
      );
      const mutation = device.customers.sync.pendingFor(id).at(-1);
      if (mutation) queued.push({ device, mutationId: mutation.mutationId, customerId: id });
    } catch (error) {
      if (!isBranchDeskError(error)) throw error;
      refused.push(error.code);
    }
  }
  return { queued, refused };
}
