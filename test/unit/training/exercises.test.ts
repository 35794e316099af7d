// The training exercises' judgements, one by one: what passes, and what each mistake is told.
import { describe, expect, it } from 'vitest';
import { exercises, judge, taskText, type TraineeEntry } from '../../../shared/training/exercises';

const target = 'c-1';
let seq = 0;
const entry = (
  action: string,
  details: Record<string, unknown> = {},
  on: string | null = target,
): TraineeEntry => ({ seq: ++seq, action, target: on, details });
const failed = (judgement: ReturnType<typeof judge>) =>
  judgement.findings.filter((finding) => !finding.ok).map((finding) => finding.text.en);

describe('the training exercises', () => {
  it('fills each task with its customer, in both languages', () => {
    for (const exercise of exercises) {
      const task = taskText(exercise, { idTail: '123X', name: '张*' });
      expect(task['zh-CN']).toContain('123X');
      expect(task.en).toContain('张*');
      expect(task.en).not.toMatch(/\{\w+\}/u);
    }
  });

  it('finds a walk-in: the right one, no one else, no full ID number', () => {
    expect(judge('find_walk_in', [entry('search', {}, null), entry('view')], target).passed).toBe(
      true,
    );
    expect(failed(judge('find_walk_in', [entry('view', {}, 'c-2')], target))).toHaveLength(2);
    expect(
      failed(
        judge(
          'find_walk_in',
          [entry('view'), entry('reveal', { field: 'identity_number' })],
          target,
        ),
      ),
    ).toEqual(['Finding a customer needs no full ID number: the tail and the name are enough.']);
  });

  it('changes a phone only with the customer’s confirmation', () => {
    const confirmed = entry('update', { fields: ['phones'], confirmedOn: 'customer_screen' });
    expect(judge('phone_confirmed', [confirmed], target).passed).toBe(true);
    expect(judge('phone_confirmed', [entry('update', { fields: ['phones'] })], target).passed).toBe(
      false,
    );
    expect(
      failed(
        judge('phone_confirmed', [entry('update', { fields: ['phones'] }), confirmed], target),
      ),
    ).toHaveLength(1);
  });

  it('reveals one field, with the right reason', () => {
    const right = entry('reveal', {
      field: 'identity_number',
      reason: 'customer_present_verified',
    });
    expect(judge('reveal_correctly', [right], target).passed).toBe(true);
    expect(
      judge(
        'reveal_correctly',
        [entry('reveal', { field: 'identity_number', reason: 'fraud_investigation' })],
        target,
      ).passed,
    ).toBe(false);
    expect(
      failed(judge('reveal_correctly', [right, entry('reveal', { field: 'phone' })], target)),
    ).toHaveLength(1);
  });

  it('takes a complaint and acknowledges it', () => {
    const recorded = entry('update', { fields: ['complaints'] });
    const acknowledged = entry('update', { fields: ['complaintSteps'], status: 'acknowledged' });
    expect(judge('take_complaint', [recorded, acknowledged], target).passed).toBe(true);
    expect(failed(judge('take_complaint', [recorded], target))).toHaveLength(1);
  });

  it('records a visit after signing in offline', () => {
    const offline = entry('login_success', { mode: 'offline' }, null);
    const visit = entry('update', { fields: ['visits'] });
    expect(judge('offline_visit', [offline, visit], target).passed).toBe(true);
    expect(judge('offline_visit', [visit], target).passed).toBe(false);
    expect(
      judge('offline_visit', [entry('login_success', { mode: 'online' }, null), visit], target)
        .passed,
    ).toBe(false);
  });
});
