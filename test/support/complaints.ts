// A complaint recorded some days ago, as the desk records one then (the session's clock guard
// keeps a test from moving a desk's clock back weeks): for the overdue lists and reports.
import { randomUUID } from 'node:crypto';
import { CustomerService } from '../../electron/core/customers';
import type { Vault } from '../../electron/core/vault';
import {
  complaintReference,
  defaultComplaintRules,
  dueDates,
} from '../../shared/counter/complaints';
import { bankDay } from '../../shared/insight/day';

export function recordEarlierComplaint(
  vault: Vault,
  customerId: string,
  options: { owner: string; daysAgo: number; category?: string; description?: string },
): { id: string; reference: string } {
  const id = randomUUID();
  const then = new Date(Date.now() - options.daysAgo * 86_400_000).toISOString();
  const day = bankDay(then);
  const reference = complaintReference('complaint', day, id);
  new CustomerService(vault).appendEntry(
    customerId,
    'complaints',
    {
      id,
      reference,
      kind: 'complaint',
      channel: 'phone',
      category: options.category ?? 'fees',
      description: options.description ?? '年费未经同意扣收',
      receivedAt: then,
      receivedBy: options.owner,
      owner: options.owner,
      ...dueDates(day, defaultComplaintRules),
    },
    { id: options.owner },
  );
  return { id, reference };
}
