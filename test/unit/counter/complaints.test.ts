// Complaints' rules: working days skip weekends and HQ's holidays; due dates by the table;
// where a complaint stands from its steps (later statuses win, so two devices' steps merged by
// union agree); what is overdue on a day; the book's earliest due date; what HQ takes in a push.
import { describe, expect, it } from 'vitest';
import { newComplaintsAllowed } from '../../../hq/insight/push-checks';
import {
  addWorkingDays,
  complaintReference,
  complaintStates,
  defaultComplaintRules,
  dueDates,
  earliestComplaintDue,
  nextStatuses,
  type Complaint,
  type ComplaintStep,
} from '../../../shared/counter/complaints';
import type { Customer } from '../../../shared/customer';
import type { Mutation } from '../../../shared/protocol/mutations';

const id = (n: number) => `7e3c1a2b-4d5e-4f60-8a9b-${String(n).padStart(12, '0')}`;

const complaint: Complaint = {
  id: id(1),
  reference: complaintReference('complaint', '2026-12-04', id(1)),
  kind: 'complaint',
  channel: 'counter',
  category: 'fees',
  description: '多收了手续费',
  receivedAt: '2026-12-04T09:00:00+08:00',
  receivedBy: 'user:teller1',
  owner: 'user:teller1',
  ...dueDates('2026-12-04', defaultComplaintRules),
};
const step = (n: number, status: ComplaintStep['status'], at: string): ComplaintStep => ({
  id: id(100 + n),
  complaintId: complaint.id,
  status,
  at,
  by: 'user:teller1',
});

describe('service levels', () => {
  it('counts working days past weekends and holidays', () => {
    // 2026-12-04 is a Friday.
    expect(addWorkingDays('2026-12-04', 1, [])).toBe('2026-12-07');
    expect(addWorkingDays('2026-12-04', 1, ['2026-12-07'])).toBe('2026-12-08');
    expect(addWorkingDays('2026-12-01', 3, [])).toBe('2026-12-04');
    expect(dueDates('2026-12-04', defaultComplaintRules)).toEqual({
      acknowledgeBy: '2026-12-07',
      resolveBy: '2026-12-19',
    });
  });

  it('gives a reference from the kind, the day and the id', () => {
    expect(complaint.reference).toBe('TS202612047E3C1A');
    expect(complaintReference('suggestion', '2026-12-04', id(1))).toBe('JY202612047E3C1A');
  });
});

describe('where a complaint stands', () => {
  it('moves by its steps, and is overdue past a due date not yet met', () => {
    const [received] = complaintStates([complaint], [], '2026-12-07');
    expect(received).toMatchObject({ status: 'received', overdue: null, due: '2026-12-07' });
    expect(complaintStates([complaint], [], '2026-12-08')[0]!.overdue).toBe('acknowledge');
    const acknowledged = [step(1, 'acknowledged', '2026-12-07T10:00:00+08:00')];
    expect(complaintStates([complaint], acknowledged, '2026-12-10')[0]).toMatchObject({
      status: 'acknowledged',
      overdue: null,
      due: '2026-12-19',
    });
    expect(complaintStates([complaint], acknowledged, '2026-12-20')[0]!.overdue).toBe('resolve');
    const resolved = [...acknowledged, step(2, 'resolved', '2026-12-09T10:00:00+08:00')];
    expect(complaintStates([complaint], resolved, '2027-01-31')[0]).toMatchObject({
      status: 'resolved',
      overdue: null,
      due: null,
    });
  });

  it('lets the later status win whatever order merged steps come in', () => {
    const steps = [
      step(2, 'in_progress', '2026-12-05T10:00:00+08:00'),
      step(1, 'acknowledged', '2026-12-05T10:00:00+08:00'),
    ];
    expect(complaintStates([complaint], steps, '2026-12-05')[0]!.status).toBe('in_progress');
    expect(complaintStates([complaint], [...steps].reverse(), '2026-12-05')[0]!.status).toBe(
      'in_progress',
    );
  });

  it('allows each status only its next ones', () => {
    expect(nextStatuses('received')).toEqual(['acknowledged', 'escalated']);
    expect(nextStatuses('resolved')).toEqual([]);
    expect(nextStatuses('escalated')).toEqual([]);
  });

  it('gives the book the earliest due date of what is open', () => {
    expect(earliestComplaintDue(undefined, undefined)).toBeNull();
    expect(earliestComplaintDue([complaint], [])).toBe('2026-12-07');
    const suggestion: Complaint = {
      ...complaint,
      id: id(2),
      kind: 'suggestion',
      acknowledgeBy: undefined,
      resolveBy: undefined,
    };
    delete suggestion.acknowledgeBy;
    delete suggestion.resolveBy;
    expect(earliestComplaintDue([suggestion], [])).toBe('9999-12-31');
    expect(
      earliestComplaintDue([complaint], [step(1, 'resolved', '2026-12-05T10:00:00+08:00')]),
    ).toBeNull();
  });
});

describe('what HQ takes', () => {
  const record = { complaints: [], visits: [] } as unknown as Customer;
  const push = (fields: Record<string, unknown>, actor = 'user:teller1') =>
    ({ kind: 'update', actor, fields }) as unknown as Extract<Mutation, { kind: 'update' }>;

  it('takes the pusher’s own complaint and steps', () => {
    expect(
      newComplaintsAllowed(
        push({
          complaints: { to: [complaint] },
          complaintSteps: { to: [step(1, 'acknowledged', '2026-12-07T10:00:00+08:00')] },
        }),
        record,
      ),
    ).toBe(true);
  });

  it('refuses another’s, a forged reference, missing due dates, or a step of no complaint', () => {
    expect(newComplaintsAllowed(push({ complaints: { to: [complaint] } }, 'user:x'), record)).toBe(
      false,
    );
    expect(
      newComplaintsAllowed(
        push({ complaints: { to: [{ ...complaint, reference: 'TS20261204AAAAAA' }] } }),
        record,
      ),
    ).toBe(false);
    const { acknowledgeBy: _a, ...undated } = complaint;
    expect(newComplaintsAllowed(push({ complaints: { to: [undated] } }), record)).toBe(false);
    expect(
      newComplaintsAllowed(
        push({ complaintSteps: { to: [step(1, 'acknowledged', '2026-12-07T10:00:00+08:00')] } }),
        record,
      ),
    ).toBe(false);
  });
});
